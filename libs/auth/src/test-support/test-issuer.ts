import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JWK,
} from 'jose';

/** Fixtures for this library's own specs: an OIDC-like issuer with a real key pair. */
export const TEST_AUDIENCE = 'api://switchboard-test';
export const TENANT_A = '6f1d7c2a-93c4-4d0b-8a51-2f6b1c9e0a11';
export const TENANT_B = 'b7e0c8d4-1a2f-4e3b-9c6d-5f4a3b2c1d00';

export type Claims = Record<string, unknown>;

export interface TestIssuer {
  issuer: string;
  kid: string;
  publicJwk: JWK;
  publicKeyPem: string;
  /** A token with sensible defaults; an override set to `undefined` removes that claim. */
  sign(
    overrides?: Claims,
    header?: { kid?: string | undefined },
  ): Promise<string>;
}

export async function createTestIssuer(
  options: { issuer?: string; kid?: string; alg?: 'RS256' | 'ES256' } = {},
): Promise<TestIssuer> {
  const alg = options.alg ?? 'RS256';
  const issuer = options.issuer ?? 'https://login.example.test/tenant/v2.0';
  const kid = options.kid ?? `key-${Math.random().toString(36).slice(2, 10)}`;
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
  });
  const publicJwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid,
    alg,
    use: 'sig',
  };
  return {
    issuer,
    kid,
    publicJwk,
    publicKeyPem: await exportSPKI(publicKey),
    async sign(overrides = {}, header = { kid }) {
      const now = Math.floor(Date.now() / 1000);
      const defaults: Claims = {
        iss: issuer,
        aud: TEST_AUDIENCE,
        sub: 'user-1',
        tid: TENANT_A,
        roles: ['OmnichannelAgent'],
        iat: now,
        nbf: now,
        exp: now + 600,
      };
      const claims = Object.fromEntries(
        Object.entries({ ...defaults, ...overrides }).filter(
          ([, value]) => value !== undefined,
        ),
      );
      const protectedHeader =
        header.kid === undefined ? { alg } : { alg, kid: header.kid };
      return new SignJWT(claims)
        .setProtectedHeader(protectedHeader)
        .sign(privateKey);
    },
  };
}
