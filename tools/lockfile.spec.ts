import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(__dirname, '..');

describe('a reproducible install', () => {
  // npm ci refuses a lockfile that is out of step with package.json, e.g. one that lacks other
  // platforms' optional binaries (which the registry here does not have for every version).
  it('npm ci accepts the committed package-lock.json (dry run)', async () => {
    const { stdout, stderr } = await run('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: root,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    }).catch((error: { stdout: string; stderr: string }) => error);
    expect(`${stdout}\n${stderr}`).not.toMatch(/npm error|Missing: /);
  }, 60_000);
});
