import { Topics } from '@switchboard/contracts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceManifests } from './load-manifests';
import { type ManifestFile, manifestNamed, serviceManifestsFrom } from './manifest-set';
import { DEFAULT_SCALING, defaultSchemaFor, parseServiceManifest, type ServiceManifest, ServiceManifestError } from './service-manifest';

const workspaceRoot = join(__dirname, '../../..');

const valid: ServiceManifest = {
  name: 'billing',
  port: 3100,
  schema: 'billing',
  title: 'Switchboard billing',
  description: 'Bills.',
  topics: [],
  scaling: { minReplicas: 2, maxReplicas: 6 },
  egress: [],
  runtimeEnv: {},
};

function file(manifest: object, folder = (manifest as { name?: string }).name ?? 'x'): ManifestFile {
  return { folder, path: `apps/${folder}/service.json`, text: JSON.stringify(manifest) };
}

/** The problems a manifest set is refused with (fails the test when it is accepted). */
function problemsOf(files: ManifestFile[]): string[] {
  try {
    serviceManifestsFrom(files);
  } catch (error) {
    if (error instanceof ServiceManifestError) return error.problems;
    throw error;
  }
  throw new Error('the manifests were accepted');
}

describe('the committed service manifests (apps/*/service.json)', () => {
  const manifests = loadServiceManifests(workspaceRoot);

  it('declare the five services, sorted by port', () => {
    expect(manifests.map((manifest) => manifest.name)).toEqual(['proactive-delivery', 'outbound-messaging', 'crm-sync', 'storage-export', 'event-bridge']);
    expect(manifests.map((manifest) => manifest.port)).toEqual([3001, 3002, 3003, 3004, 3005]);
  });

  it('P3.1 own only topics that libs/contracts declares, and every topic has exactly one owner', () => {
    const owned = manifests.flatMap((manifest) => manifest.topics);
    expect(owned.filter((topic) => !(Object.values(Topics) as string[]).includes(topic))).toEqual([]);
    for (const topic of Object.values(Topics)) {
      expect(manifests.filter((manifest) => manifest.topics.includes(topic)).map((manifest) => manifest.name), topic).toHaveLength(1);
    }
  });

  it('give every service its own port and its own Postgres schema', () => {
    expect(new Set(manifests.map((manifest) => manifest.port)).size).toBe(manifests.length);
    expect(new Set(manifests.map((manifest) => manifest.schema)).size).toBe(manifests.length);
  });
});

describe('a service manifest is refused with a sentence naming the file and the field', () => {
  it.each([
    ['an unknown field', { ...valid, replicas: 2 }, /^apps\/billing\/service\.json: Unrecognized key: "replicas"$/],
    ['a name that is not kebab-case', { ...valid, name: 'Billing_Sync' }, /name must be kebab-case/],
    ['a name reserved for the infrastructure', { ...valid, name: 'kafka' }, /name "kafka" is reserved/],
    ['a privileged port', { ...valid, port: 80 }, /port must be 1024 or higher/],
    ['a port that is not a whole number', { ...valid, port: 3100.5 }, /port Invalid input: expected int/],
    ['a schema that is not a plain Postgres identifier', { ...valid, schema: 'billing-sync' }, /schema must be a lower-case Postgres identifier/],
    ['an empty title', { ...valid, title: ' ' }, /title Too small/],
    ['a topic libs/contracts does not declare', { ...valid, topics: ['billing.invoice.v1'] }, /topics\.0 "billing\.invoice\.v1" is not a topic of libs\/contracts/],
    ['a topic listed twice', { ...valid, topics: [Topics.agentEvents, Topics.agentEvents] }, /topics must not list a topic twice/],
    ['autoscaling bounds the wrong way round', { ...valid, scaling: { minReplicas: 4, maxReplicas: 3 } }, /scaling minReplicas must not be above maxReplicas/],
    ['no replica at all', { ...valid, scaling: { minReplicas: 0 } }, /scaling\.minReplicas Too small/],
    ['an outbound protocol the NetworkPolicy does not know', { ...valid, egress: ['ftp'] }, /egress\.0 Invalid option: expected one of "smtp"\|"sftp"/],
    ['a missing field', { name: 'billing', port: 3100, schema: 'billing', title: 't', topics: [] }, /description Invalid input: expected string, received undefined/],
  ])('%s', (_case, manifest, expected) => {
    const problems = problemsOf([file(manifest, 'billing')]);
    expect(problems.join('\n')).toMatch(expected);
    expect(problems.every((problem) => problem.startsWith('apps/billing/service.json: '))).toBe(true);
  });

  it('a file that is not JSON', () => {
    expect(problemsOf([{ folder: 'billing', path: 'apps/billing/service.json', text: '{"name": ' }])).toEqual([expect.stringMatching(/^apps\/billing\/service\.json: not valid JSON/)]);
  });

  it('a name that differs from its folder', () => {
    expect(problemsOf([file(valid, 'invoices')])).toEqual(['apps/invoices/service.json: name "billing" must equal its folder\'s name "invoices"']);
  });
});

describe('service manifests are refused as a set when two services claim the same thing', () => {
  const other = { ...valid, name: 'payments', port: 3101, schema: 'payments' };

  it('the same port', () => {
    expect(problemsOf([file(valid), file({ ...other, port: 3100 })])).toEqual(['port 3100 is declared by more than one service: billing, payments']);
  });

  it('the same Postgres schema', () => {
    expect(problemsOf([file(valid), file({ ...other, schema: 'billing' })])).toEqual(['Postgres schema "billing" is declared by more than one service: billing, payments']);
  });

  it('P3.1 the same topic (each topic has one owner)', () => {
    const topics = [Topics.proactiveDelivery];
    expect(problemsOf([file({ ...valid, topics }), file({ ...other, topics })])).toEqual([`topic "${Topics.proactiveDelivery}" has more than one owner: billing, payments`]);
  });

  it('lists every problem of every file at once', () => {
    const problems = problemsOf([file({ ...valid, port: 1 }), file({ ...other, schema: 'billing' }), file({ ...other, name: 'refunds', schema: 'refunds' }, 'refunds')]);
    expect(problems).toEqual([
      'apps/billing/service.json: port must be 1024 or higher (no privileged ports)',
      'port 3101 is declared by more than one service: payments, refunds',
    ]);
  });
});

describe('reading manifests', () => {
  it('parses a valid manifest and sorts a set by port', () => {
    expect(parseServiceManifest(JSON.stringify(valid), 'x')).toEqual(valid);
    const sorted = serviceManifestsFrom([file({ ...valid, port: 3200 }), file({ ...valid, name: 'alpha', schema: 'alpha', port: 3150 })]);
    expect(sorted.map((manifest) => manifest.name)).toEqual(['alpha', 'billing']);
  });

  it('gives a manifest without scaling or egress the default autoscaling bounds and no extra outbound protocol', () => {
    const { scaling: _scaling, egress: _egress, runtimeEnv: _runtimeEnv, ...minimal } = valid;
    expect(parseServiceManifest(JSON.stringify(minimal), 'x')).toEqual({ ...minimal, scaling: DEFAULT_SCALING, egress: [], runtimeEnv: {} });
    expect(parseServiceManifest(JSON.stringify({ ...minimal, scaling: { maxReplicas: 10 } }), 'x').scaling).toEqual({ minReplicas: 2, maxReplicas: 10 });
  });

  it('takes the runtime tuning (memory flags) a service starts with, and refuses a variable that is not runtime tuning', () => {
    const runtimeEnv = { NODE_OPTIONS: '--max-semi-space-size=2', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '262144', MALLOC_TRIM_THRESHOLD_: '262144' };
    expect(parseServiceManifest(JSON.stringify({ ...valid, runtimeEnv }), 'x').runtimeEnv).toEqual(runtimeEnv);
    expect(() => parseServiceManifest(JSON.stringify({ ...valid, runtimeEnv: { DATABASE_URL: 'postgres://x' } }), 'x')).toThrow(/runtimeEnv/);
  });

  it('names the known services when asked for an unknown one', () => {
    expect(() => manifestNamed([valid], 'billing-sync')).toThrow('Unknown service "billing-sync"; the services are: billing');
  });

  it('derives a new service\'s schema from its name', () => {
    expect(defaultSchemaFor('billing-sync-v2')).toBe('billing_sync_v2');
  });
});
