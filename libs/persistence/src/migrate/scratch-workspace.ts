import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace-root';

/**
 * A throwaway copy of the parts of the workspace that migrations read and write, for tests that
 * create migrations or generate clients without touching apps/<svc>/prisma in the real tree:
 * nx.json, libs/persistence/src (prisma.config.ts imports from it), the engine stub, node_modules
 * (symlinked) and, per service, prisma.config.ts, service.json and prisma/schema.prisma (and, when
 * asked, its committed migrations).
 */
export interface ScratchWorkspace {
  root: string;
  schemaPath(service: string): string;
  migrationsDir(service: string): string;
  remove(): Promise<void>;
}

export async function createScratchWorkspace(
  services: string[],
  source = findWorkspaceRoot(),
  options: { withMigrations?: boolean } = {},
): Promise<ScratchWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'sb-migrate-ws-'));
  await symlink(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const file of ['nx.json', 'libs/persistence/src', 'tools/db/schema-engine-unavailable.sh']) {
    await cp(join(source, file), join(root, file), { recursive: true });
  }
  for (const service of services) {
    await mkdir(join(root, 'apps', service, 'prisma'), { recursive: true });
    for (const file of ['prisma.config.ts', 'service.json']) await cp(join(source, 'apps', service, file), join(root, 'apps', service, file));
    await cp(join(source, 'apps', service, 'prisma', 'schema.prisma'), join(root, 'apps', service, 'prisma', 'schema.prisma'));
    if (options.withMigrations) {
      await cp(join(source, 'apps', service, 'prisma', 'migrations'), join(root, 'apps', service, 'prisma', 'migrations'), { recursive: true });
    }
  }
  return {
    root,
    schemaPath: (service) => join(root, 'apps', service, 'prisma', 'schema.prisma'),
    migrationsDir: (service) => join(root, 'apps', service, 'prisma', 'migrations'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
