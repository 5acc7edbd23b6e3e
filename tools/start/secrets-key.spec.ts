import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecretsKey } from './secrets-key';
import { StartError } from './start-error';

describe('local secrets key (P4.4 npm start, P2.4)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-start-secrets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('P4.4 creates a 32-byte key once, readable only by the owner, and returns the same key afterwards', async () => {
    const file = join(dir, 'nested', 'secrets.key');

    const first = await loadOrCreateSecretsKey(file);
    const second = await loadOrCreateSecretsKey(file);

    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect(second).toBe(first);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('P4.4 keeps the first key when two starts race', async () => {
    const file = join(dir, 'secrets.key');

    const keys = await Promise.all([loadOrCreateSecretsKey(file), loadOrCreateSecretsKey(file), loadOrCreateSecretsKey(file)]);

    expect(new Set(keys).size).toBe(1);
  });

  it('P4.4 refuses a damaged key file instead of replacing it (sealed secrets would be lost)', async () => {
    const file = join(dir, 'secrets.key');
    await writeFile(file, 'not-a-key\n');

    await expect(loadOrCreateSecretsKey(file)).rejects.toThrow(StartError);
    await expect(loadOrCreateSecretsKey(file)).rejects.toThrow(/does not hold a base64 32-byte key/);
    expect(await readFile(file, 'utf8')).toBe('not-a-key\n');
  });
});
