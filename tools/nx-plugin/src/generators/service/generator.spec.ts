import { FsTree } from 'nx/src/generators/tree';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import serviceGenerator, { migrationTimestamp } from './generator';

const workspaceRoot = join(__dirname, '../../../../..');

/** This workspace as an Nx tree whose changes stay in memory: nothing is written to disk. */
function workspaceTree(): FsTree {
  return new FsTree(workspaceRoot, false);
}

function changedPaths(tree: FsTree): Record<string, string> {
  return Object.fromEntries(tree.listChanges().map((change) => [change.path, change.type]));
}

describe('nx g @switchboard/tools:service <name>', () => {
  it('creates the app, its manifest with the next free port and a schema from its name, and its deployment entries', () => {
    const tree = workspaceTree();

    serviceGenerator(tree, { name: 'billing-sync' });

    expect(JSON.parse(tree.read('apps/billing-sync/service.json', 'utf-8') ?? '')).toEqual({
      name: 'billing-sync',
      port: 3006,
      schema: 'billing_sync',
      title: 'Switchboard billing-sync',
      description: 'The billing-sync service.',
      topics: [],
      // The defaults, written out so that the new service's author sees the knobs.
      scaling: { minReplicas: 2, maxReplicas: 6 },
      egress: [],
      runtimeEnv: {},
    });
    const changes = changedPaths(tree);
    for (const file of ['src/main.ts', 'src/app.module.ts', 'src/config.ts', 'src/database/prisma.service.ts', 'prisma/schema.prisma', 'prisma/migrations/migration_lock.toml', 'prisma.config.ts', 'tsconfig.json']) {
      expect(changes[`apps/billing-sync/${file}`], file).toBe('CREATE');
    }
    const migrations = Object.keys(changes).filter((path) => /^apps\/billing-sync\/prisma\/migrations\/\d{14}_init\/migration\.sql$/.test(path));
    expect(migrations).toHaveLength(1);
    expect(changes).toMatchObject({ 'docker-compose.yml': 'UPDATE', Dockerfile: 'UPDATE', 'deploy/k8s/kustomization.yaml': 'UPDATE', 'deploy/k8s/billing-sync.yaml': 'CREATE' });
    expect(tree.read('deploy/k8s/billing-sync.yaml', 'utf-8')).toMatch(/kind: HorizontalPodAutoscaler[\s\S]*kind: NetworkPolicy/);
    const compose = parse(tree.read('docker-compose.yml', 'utf-8') ?? '', { merge: true }) as { services: Record<string, { ports: string[] }> };
    expect(compose.services['billing-sync'].ports).toEqual(['127.0.0.1:3006:3006']);
  });

  it('writes name, port and schema only into service.json: the code reads them from there', () => {
    const tree = workspaceTree();

    serviceGenerator(tree, { name: 'billing-sync', port: 3100, description: 'Invoices to the CRM.' });

    const code = ['src/main.ts', 'src/app.module.ts', 'src/config.ts', 'src/database/prisma.service.ts', 'prisma.config.ts'].map((file) => tree.read(`apps/billing-sync/${file}`, 'utf-8') ?? '');
    for (const text of code) {
      expect(text).not.toMatch(/3100|billing_sync|'billing-sync'/);
    }
    // main.ts hands the manifest to runService (name, port, title); the module and Prisma's config take it too.
    expect(tree.read('apps/billing-sync/src/main.ts', 'utf-8')).toMatch(/runService\(\{ manifest, module: AppModule, config: BillingSyncConfig \}\)/);
    expect(tree.read('apps/billing-sync/src/app.module.ts', 'utf-8')).toMatch(/ServicePlatformModule\.forRoot\(\{ manifest, database: PrismaService \}\)/);
    expect(tree.read('apps/billing-sync/prisma.config.ts', 'utf-8')).toMatch(/servicePrismaConfig\(manifest\.schema\)/);
    expect(JSON.parse(tree.read('apps/billing-sync/service.json', 'utf-8') ?? '')).toMatchObject({ port: 3100, description: 'Invoices to the CRM.' });
    expect(tree.read('apps/billing-sync/src/config.ts', 'utf-8')).toContain('export class BillingSyncConfig extends serviceConfigClass(baseServiceEnv) {}');
  });

  it.each([
    ['an existing service', { name: 'crm-sync' }, /^apps\/crm-sync already exists\.$/],
    ['a name that is not kebab-case', { name: 'BillingSync' }, /apps\/BillingSync\/service\.json: name must be kebab-case/],
    ['a name reserved for the infrastructure', { name: 'postgres' }, /name "postgres" is reserved/],
    ['a port another service has', { name: 'billing-sync', port: 3003 }, /port 3003 is declared by more than one service: crm-sync, billing-sync/],
    ['a privileged port', { name: 'billing-sync', port: 443 }, /port must be 1024 or higher/],
  ])('refuses %s and writes nothing', (_case, options, expected) => {
    const tree = workspaceTree();

    expect(() => serviceGenerator(tree, options)).toThrow(expected);
    expect(tree.listChanges()).toEqual([]);
  });

  it('names migration folders the way Prisma does (UTC YYYYMMDDHHMMSS)', () => {
    expect(migrationTimestamp(new Date('2026-12-01T23:05:09.123Z'))).toBe('20261201230509');
  });
});
