import { loadServiceManifests, type ServiceManifest } from '@switchboard/service-manifest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { deploymentChanges, type WorkspaceReader } from './deployment-files';
import { outdatedDeploymentFiles } from './generate-deployment';

const workspaceRoot = join(__dirname, '../../../..');
const onDisk: WorkspaceReader = {
  read: (path) => readFileSync(join(workspaceRoot, path), 'utf8'),
  list: (dir) => readdirSync(join(workspaceRoot, dir)),
};
const committed = loadServiceManifests(workspaceRoot);
const billing: ServiceManifest = {
  name: 'billing',
  port: 3006,
  schema: 'billing',
  title: 'Switchboard billing',
  description: 'Bills.',
  topics: [],
  scaling: { minReplicas: 3, maxReplicas: 9 },
  egress: ['sftp'],
  runtimeEnv: { NODE_OPTIONS: '--max-semi-space-size=2', MALLOC_ARENA_MAX: '2' },
};

function contentOf(changes: ReturnType<typeof deploymentChanges>, path: string): string {
  const file = changes.write.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} is not generated`);
  return file.content;
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

interface ComposeService {
  build: { args: { SERVICE: string } };
  environment: Record<string, string>;
  ports: string[];
}

describe('P4.4 deployment files are generated from the service manifests', () => {
  it('a new manifest adds its compose service, its EXPOSE port, its Kubernetes file and its kustomization entries', () => {
    const changes = deploymentChanges([...committed, billing], onDisk);

    const compose = parse(contentOf(changes, 'docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
    expect(compose.services['billing']).toMatchObject({ build: { args: { SERVICE: 'billing' } }, ports: ['127.0.0.1:3006:3006'] });
    expect(compose.services['billing'].environment).toMatchObject({ PORT: '3006', PUBLIC_BASE_URL: 'http://localhost:3006', KAFKA_BROKERS: 'kafka:9092', ...billing.runtimeEnv });
    expect(contentOf(changes, 'Dockerfile')).toMatch(/^EXPOSE 3001 3002 3003 3004 3005 3006$/m);

    const objects = parseAllDocuments(contentOf(changes, 'deploy/k8s/billing.yaml')).map((doc) => doc.toJS() as K8sObject);
    expect(objects.map(({ kind, metadata }) => `${kind}/${metadata.name}`)).toEqual([
      'Deployment/billing',
      'Service/billing',
      'PodDisruptionBudget/billing',
      'HorizontalPodAutoscaler/billing',
      'NetworkPolicy/billing',
    ]);
    expect(contentOf(changes, 'deploy/k8s/billing.yaml')).toContain('containerPort: 3006');
    // The manifest's runtime tuning (memory flags) reaches the container.
    const [container] = (objects[0].spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers;
    expect(container?.env).toEqual(expect.arrayContaining([{ name: 'NODE_OPTIONS', value: '--max-semi-space-size=2' }, { name: 'MALLOC_ARENA_MAX', value: '2' }]));
    // The manifest's scaling bounds and egress kinds reach the autoscaler and the NetworkPolicy.
    expect(objects[3].spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'billing' }, minReplicas: 3, maxReplicas: 9 });
    const policy = objects[4].spec as { ingress: { ports: { port: number }[] }[]; egress: { ports: { port: number }[] }[] };
    expect(policy.ingress.flatMap((rule) => rule.ports.map(({ port }) => port))).toEqual([3006]);
    expect(policy.egress.flatMap((rule) => rule.ports.map(({ port }) => port))).toEqual([53, 53, 5432, 9092, 443, 22]);

    const kustomization = parse(contentOf(changes, 'deploy/k8s/kustomization.yaml')) as { resources: string[]; images: { name: string }[] };
    expect(kustomization.resources.at(-1)).toBe('billing.yaml');
    expect(kustomization.images.at(-1)).toEqual({ name: 'switchboard/billing', newTag: 'latest' });
    expect(changes.remove).toEqual([]);
  });

  it('a removed manifest removes its compose service and its generated Kubernetes file, and keeps the hand-written ones', () => {
    const changes = deploymentChanges(
      committed.filter((manifest) => manifest.name !== 'crm-sync'),
      onDisk,
    );
    const compose = parse(contentOf(changes, 'docker-compose.yml'), { merge: true }) as { services: Record<string, unknown> };
    expect(Object.keys(compose.services)).not.toContain('crm-sync');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'kafka', 'migrate', 'event-bridge']));
    expect(changes.remove).toEqual(['deploy/k8s/crm-sync.yaml']);
  });

  it('refuses to guess when docker-compose.yml has lost its generated-region markers', () => {
    const withoutMarkers: WorkspaceReader = { ...onDisk, read: (path) => (path === 'docker-compose.yml' ? 'services:\n  postgres:\n    image: postgres:16\n' : onDisk.read(path)) };
    expect(() => deploymentChanges(committed, withoutMarkers)).toThrow(/docker-compose\.yml: the generated region's marker lines are missing/);
  });
});

describe('npm run deploy:generate -- --check', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it('names the files that a changed manifest has made out of date', () => {
    scratch = mkdtempSync(join(tmpdir(), 'sb-deploy-'));
    for (const path of ['apps', 'deploy', 'docker-compose.yml', 'Dockerfile']) {
      cpSync(join(workspaceRoot, path), join(scratch, path), { recursive: true, filter: (source) => !source.includes('/src/') && !source.includes('/prisma/') });
    }
    expect(outdatedDeploymentFiles(scratch)).toEqual([]);

    const manifestPath = join(scratch, 'apps/crm-sync/service.json');
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), port: 3010 }));

    // crm-sync now has the highest port, so it also moves to the end of the kustomization's lists.
    expect(outdatedDeploymentFiles(scratch)).toEqual(['docker-compose.yml', 'Dockerfile', 'deploy/k8s/kustomization.yaml', 'deploy/k8s/crm-sync.yaml']);
  });
});
