import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_ISSUER,
  JwtVerifier,
  loadOrCreateDevKeys,
  Role,
} from '@switchboard/auth';

const run = promisify(execFile);
const TSX = resolve(__dirname, '../node_modules/.bin/tsx');
const TOOL = resolve(__dirname, 'mint-token.ts');
const TENANT = '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sb-mint-token-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

function mint(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(TSX, [TOOL, ...args], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

describe('tools/mint-token.ts (P1.5)', () => {
  it('P1.5 prints a token that a service with AUTH_DEV_ISSUER_ENABLED accepts', async () => {
    const keysDir = join(base, 'dev-jwt');
    const { stdout } = await mint(
      [
        '--tenant',
        TENANT,
        '--roles',
        'OmnichannelSupervisor,Administrator',
        '--sub',
        'sam',
        '--ttl',
        '600',
      ],
      { AUTH_DEV_KEYS_DIR: keysDir, AUTH_AUDIENCE: 'api://local-test' },
    );
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEV_ISSUER,
      aud: 'api://local-test',
      sub: 'sam',
      tid: TENANT,
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);

    const keys = await loadOrCreateDevKeys(keysDir);
    const verifier = new JwtVerifier({
      issuers: [],
      audience: 'api://local-test',
      devIssuer: { issuer: DEV_ISSUER, publicKey: keys.publicKeyPem },
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      tenantId: TENANT,
      subject: 'sam',
      roles: [Role.OmnichannelSupervisor, Role.Administrator],
    });
  });

  it('P1.5 refuses bad arguments with exit code 2 and a usage text', async () => {
    for (const args of [
      ['--roles', 'Administrator'],
      ['--tenant', 'contoso', '--roles', ''],
      ['--tenant', TENANT, '--roles', 'Root'],
    ]) {
      const failure = await mint([
        ...args,
        '--keys-dir',
        join(base, 'unused'),
      ]).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toMatch(/^mint-token: .*\nusage:/);
    }
  });
});
