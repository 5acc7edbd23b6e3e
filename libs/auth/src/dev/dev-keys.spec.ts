import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { JwtVerifier } from '../jwt/jwt-verifier';
import { Role } from '../roles';
import { TENANT_A } from '../test-support/test-issuer';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from './dev-issuer';
import {
  DEV_PRIVATE_KEY_FILE,
  DEV_PUBLIC_KEY_FILE,
  loadOrCreateDevKeys,
} from './dev-keys';
import { mintDevToken } from './mint-dev-token';

const dirs: string[] = [];
async function tempKeysDir(): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'sb-dev-jwt-'));
  dirs.push(base);
  return join(base, '.local', 'dev-jwt');
}
afterEach(async () => {
  await Promise.all(
    dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })),
  );
});

describe('dev keys and dev tokens (P1.5)', () => {
  it('P1.5 creates the key pair on first use, private key readable by the owner only', async () => {
    const dir = await tempKeysDir();
    const keys = await loadOrCreateDevKeys(dir);
    expect(keys.alg).toBe('ES256');
    expect((await stat(join(dir, DEV_PRIVATE_KEY_FILE))).mode & 0o777).toBe(
      0o600,
    );
    expect(await readFile(join(dir, DEV_PUBLIC_KEY_FILE), 'utf8')).toBe(
      keys.publicKeyPem,
    );
    expect(keys.publicJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      kid: keys.kid,
    });
    expect(keys.publicJwk).not.toHaveProperty('d');
  });

  it('P1.5 reuses the stored key pair on later calls', async () => {
    const dir = await tempKeysDir();
    const first = await loadOrCreateDevKeys(dir);
    const again = await loadOrCreateDevKeys(dir);
    expect(again.kid).toBe(first.kid);
  });

  it('P1.5 processes starting together agree on one key pair', async () => {
    const dir = await tempKeysDir();
    const all = await Promise.all(
      Array.from({ length: 16 }, () => loadOrCreateDevKeys(dir)),
    );
    expect(new Set(all.map((keys) => keys.kid)).size).toBe(1);
  });

  it('P1.5 mints an Entra-shaped token that a verifier trusting the dev issuer accepts', async () => {
    const dir = await tempKeysDir();
    const token = await mintDevToken({
      tenantId: TENANT_A,
      roles: [Role.OmnichannelAgent, Role.Administrator],
      subject: 'alice',
      ttlSec: 120,
      name: 'Alice',
      keysDir: dir,
    });
    const keys = await loadOrCreateDevKeys(dir);
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      kid: keys.kid,
      typ: 'JWT',
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEV_ISSUER,
      aud: DEFAULT_AUDIENCE,
      sub: 'alice',
      tid: TENANT_A,
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);

    const verifier = new JwtVerifier({
      issuers: [],
      audience: DEFAULT_AUDIENCE,
      devIssuer: { issuer: DEV_ISSUER, publicKey: keys.publicJwk },
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      tenantId: TENANT_A,
      subject: 'alice',
      roles: [Role.OmnichannelAgent, Role.Administrator],
      name: 'Alice',
    });
  });

  it('P1.5 minted tokens expire after their ttl', async () => {
    const dir = await tempKeysDir();
    const keys = await loadOrCreateDevKeys(dir);
    const token = await mintDevToken({
      tenantId: TENANT_A,
      roles: [],
      ttlSec: 60,
      keys,
      issuedAt: new Date(Date.now() - 3600_000),
    });
    const verifier = new JwtVerifier({
      issuers: [],
      audience: DEFAULT_AUDIENCE,
      devIssuer: { issuer: DEV_ISSUER, publicKey: keys.publicKey },
    });
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'expired',
    });
  });

  it('P1.5 refuses to mint for a non-GUID tenant, unknown roles or a bad ttl', async () => {
    const dir = await tempKeysDir();
    await expect(
      mintDevToken({ tenantId: 'contoso', roles: [], keysDir: dir }),
    ).rejects.toThrow(/GUID/);
    await expect(
      mintDevToken({
        tenantId: TENANT_A,
        roles: ['Root' as Role],
        keysDir: dir,
      }),
    ).rejects.toThrow(/Unknown roles: Root/);
    await expect(
      mintDevToken({ tenantId: TENANT_A, roles: [], ttlSec: 0, keysDir: dir }),
    ).rejects.toThrow(/ttlSec/);
  });
});
