import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findWorkspaceRoot } from './workspace-root';

const run = promisify(execFile);

/**
 * `prisma generate` refuses to start until it finds a schema engine binary, which it would
 * download from a CDN that is unreachable here. Generating the client never uses that engine, so
 * it gets a stub that explains itself and exits 1 (a stub exiting 0 would let a stray
 * `prisma migrate deploy` report success while applying nothing).
 */
export const SCHEMA_ENGINE_STUB = join('tools', 'db', 'schema-engine-unavailable.sh');

/**
 * Runs `prisma generate` in apps/<service>; the output folder comes from the schema's generator
 * block (apps/<svc>/src/generated/prisma). The stub must exist at tools/db/ in that workspace.
 */
export async function generatePrismaClient(opts: { service: string; workspaceRoot?: string }): Promise<void> {
  const { service, workspaceRoot = findWorkspaceRoot() } = opts;
  const prismaCli = join(workspaceRoot, 'node_modules', 'prisma', 'build', 'index.js');
  try {
    await run(process.execPath, [prismaCli, 'generate'], {
      cwd: join(workspaceRoot, 'apps', service),
      env: {
        ...process.env,
        // A real engine configured by the developer wins over the stub.
        PRISMA_SCHEMA_ENGINE_BINARY: process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ?? join(workspaceRoot, SCHEMA_ENGINE_STUB),
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1', // no version-check call home: the network is not there
      },
    });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`prisma generate failed: ${(stderr || stdout || message).trim()}`);
  }
}
