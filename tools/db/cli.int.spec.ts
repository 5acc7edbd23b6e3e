import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase, findWorkspaceRoot } from '../../libs/persistence/src/migrate';
import { withDatabase } from '../../libs/persistence/src/migrate/postgres-admin';
import { createScratchWorkspace, type ScratchWorkspace } from '../../libs/persistence/src/migrate/scratch-workspace';

const run = promisify(execFile);
const SERVER_URL = inject('databaseUrl') ?? process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REPO_ROOT = findWorkspaceRoot();
const CLI = join(REPO_ROOT, 'tools', 'db', 'cli.ts');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
/**
 * Far above a normal run (~3 s idle, ~25 s on a machine loaded by parallel test runs), far below a
 * CLI hanging on the engine's timers or open pools (minutes).
 */
const MUST_EXIT_WITHIN_MS = 60_000;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a developer would, in `cwd` (the workspace it acts on). */
async function cli(cwd: string, databaseUrl: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd, timeout: MUST_EXIT_WITHIN_MS, env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; killed?: boolean; stdout: string; stderr: string };
    if (failed.killed) throw new Error(`CLI did not exit within ${MUST_EXIT_WITHIN_MS} ms: tsx ${args.join(' ')}`);
    return { code: Number(failed.code), stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('tools/db/cli.ts (P4.4 local developer commands)', { timeout: 2 * MUST_EXIT_WITHIN_MS }, () => {
  const databaseName = `sb_test_mig_${randomBytes(5).toString('hex')}`;
  const databaseUrl = withDatabase(SERVER_URL, databaseName);
  let workspace: ScratchWorkspace;

  beforeAll(async () => {
    workspace = await createScratchWorkspace(['crm-sync', 'event-bridge']);
  });

  afterAll(async () => {
    await dropDatabase(SERVER_URL, databaseName);
    await workspace?.remove();
  });

  it('migrate --name init creates and applies one migration per service, one line each, and exits', async () => {
    const result = await cli(workspace.root, databaseUrl, 'migrate', '--name', 'init');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^crm-sync: created prisma\/migrations\/\d{14}_init\/migration\.sql and applied it$/),
      expect.stringMatching(/^event-bridge: created prisma\/migrations\/\d{14}_init\/migration\.sql and applied it$/),
    ]);
    expect(existsSync(join(workspace.migrationsDir('event-bridge'), 'migration_lock.toml'))).toBe(true);
  });

  it('deploy --service applies nothing the second time and says so', async () => {
    const result = await cli(workspace.root, databaseUrl, 'deploy', '--service', 'crm-sync');
    expect(result).toMatchObject({ code: 0, stdout: 'crm-sync: up to date, nothing to apply\n' });
  });

  it('status exits 0 when up to date and 1 when migrations are pending', async () => {
    const upToDate = await cli(workspace.root, databaseUrl, 'status');
    expect(upToDate.code).toBe(0);
    expect(upToDate.stdout).toContain('crm-sync (schema crm_sync): up to date, 1 migration applied');

    const elsewhere = withDatabase(SERVER_URL, `${databaseName}_absent`);
    const pending = await cli(workspace.root, elsewhere, 'status', '--service', 'event-bridge');
    expect(pending.code).toBe(1);
    expect(pending.stdout).toBe('event-bridge (schema event_bridge): database does not exist yet, 1 migration pending\n');
  });

  it('generate writes the Prisma client of each service with the engine stub in place', async () => {
    const result = await cli(workspace.root, databaseUrl, 'generate', '--service', 'event-bridge');
    expect(result).toMatchObject({ code: 0, stdout: 'event-bridge: generated Prisma client in apps/event-bridge/src/generated/prisma\n' });
    expect(existsSync(join(workspace.root, 'apps', 'event-bridge', 'src', 'generated', 'prisma', 'client.ts'))).toBe(true);
  });

  it('rejects an unknown service and a migrate without --name with exit code 2', async () => {
    expect(await cli(workspace.root, databaseUrl, 'deploy', '--service', 'nope')).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown service "nope"') });
    expect(await cli(workspace.root, databaseUrl, 'migrate')).toMatchObject({ code: 2, stderr: expect.stringContaining('migrate needs --name') });
  });
});
