import { createSign } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalGcs } from './gcs-peer';
import { StartError } from './start-error';

describe('npm start: the GCS simulator beside storage-export', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('SE1.2 runs the simulator, points only storage-export at it, and keeps one service account key across starts', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sb-gcs-peer-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const keyFile = join(folder, '.local', 'gcs-simulator-key.json');

    const first = await startLocalGcs({ GCS_SIMULATOR_PORT: '0' }, keyFile);
    const firstUrl = first.simulator?.url ?? 'missing';
    const key = JSON.parse(await readFile(keyFile, 'utf8')) as { client_email: string; private_key: string; type: string };
    expect(key.type).toBe('service_account');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(first.serviceEnv('storage-export')).toEqual({ GCS_API_ENDPOINT: firstUrl, GCS_TOKEN_URL: `${firstUrl}/token` });
    expect(first.serviceEnv('crm-sync')).toEqual({});
    expect(first.summaryLine).toContain(keyFile);
    await first.simulator?.close();

    const second = await startLocalGcs({ GCS_SIMULATOR_PORT: '0' }, keyFile);
    const secondUrl = second.simulator?.url ?? 'missing';
    cleanups.push(async () => second.simulator?.close());
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toEqual(key);
    // The kept key's account is known to the new simulator: its signed assertion gets a token.
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${encode({ alg: 'RS256' })}.${encode({ iss: key.client_email, scope: 'https://www.googleapis.com/auth/devstorage.read_write', aud: `${secondUrl}/token`, iat: now, exp: now + 600 })}`;
    const assertion = `${body}.${createSign('RSA-SHA256').update(body).sign(key.private_key).toString('base64url')}`;
    const answer = await fetch(`${secondUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString() });
    expect(answer.status).toBe(200);
  });

  it('P4.4 GCS_SIMULATOR_PORT=off leaves it out; a bad port is one sentence', async () => {
    const off = await startLocalGcs({ GCS_SIMULATOR_PORT: 'off' }, '/nonexistent/key.json');
    expect(off.simulator).toBeUndefined();
    expect(off.serviceEnv('storage-export')).toEqual({});
    await expect(startLocalGcs({ GCS_SIMULATOR_PORT: 'ninety' }, '/nonexistent/key.json')).rejects.toThrow(StartError);
  });
});
