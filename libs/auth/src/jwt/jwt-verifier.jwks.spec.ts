import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthProviderUnavailableError,
  InvalidTokenError,
} from '../auth-errors';
import {
  createTestIssuer,
  TENANT_A,
  TEST_AUDIENCE,
  type TestIssuer,
} from '../test-support/test-issuer';
import { JwtVerifier } from './jwt-verifier';

/** A real OIDC-style JWKS endpoint on a loopback port; counts fetches and can be told to fail. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  status = 200;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.url !== '/discovery/v2.0/keys') return res.writeHead(404).end();
      this.fetches += 1;
      res
        .writeHead(this.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) =>
      this.server?.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/discovery/v2.0/keys`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

const jwksServer = new JwksServer();
let jwksUrl: string;
let idp: TestIssuer;

beforeAll(async () => {
  idp = await createTestIssuer();
  jwksServer.keys = [idp.publicJwk];
  jwksUrl = await jwksServer.start();
});
afterAll(() => jwksServer.stop());

const verifierFor = (url: string) =>
  new JwtVerifier({
    issuers: [idp.issuer],
    audience: TEST_AUDIENCE,
    jwksUrl: url,
    jwksTimeoutMs: 2000,
  });

describe('JwtVerifier with a remote JWKS (P1.2)', () => {
  it('P1.2 verifies a token against keys fetched from the JWKS URL, and caches them', async () => {
    const verifier = verifierFor(jwksUrl);
    const before = jwksServer.fetches;
    await expect(
      verifier.verify(await idp.sign({ roles: ['Administrator'] })),
    ).resolves.toEqual({
      tenantId: TENANT_A,
      subject: 'user-1',
      roles: ['Administrator'],
    });
    await verifier.verify(await idp.sign());
    expect(jwksServer.fetches - before).toBe(1);
  });

  it('P1.2 picks the right key by kid when the JWKS holds several', async () => {
    const next = await createTestIssuer({ issuer: idp.issuer });
    jwksServer.keys = [idp.publicJwk, next.publicJwk];
    try {
      const verifier = verifierFor(jwksUrl);
      await expect(verifier.verify(await next.sign())).resolves.toMatchObject({
        tenantId: TENANT_A,
      });
      await expect(verifier.verify(await idp.sign())).resolves.toMatchObject({
        tenantId: TENANT_A,
      });
    } finally {
      jwksServer.keys = [idp.publicJwk];
    }
  });

  it('P1.2 refuses a token whose kid the JWKS does not publish', async () => {
    const stranger = await createTestIssuer({ issuer: idp.issuer });
    const error = await verifierFor(jwksUrl)
      .verify(await stranger.sign())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ reason: 'unknown_signing_key' });
  });

  it('P1.2 refuses a token signed with another key under a published kid', async () => {
    const impostor = await createTestIssuer({
      issuer: idp.issuer,
      kid: idp.kid,
    });
    const error = await verifierFor(jwksUrl)
      .verify(await impostor.sign())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'bad_signature' });
  });

  it('P1.2 an unreachable or failing JWKS is a 503 (our problem), not a 401', async () => {
    jwksServer.status = 500;
    try {
      const error = await verifierFor(jwksUrl)
        .verify(await idp.sign())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthProviderUnavailableError);
      expect(error).toMatchObject({ status: 503 });
    } finally {
      jwksServer.status = 200;
    }
    const closed = new JwksServer();
    const closedUrl = await closed.start();
    await closed.stop();
    const error = await verifierFor(closedUrl)
      .verify(await idp.sign())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthProviderUnavailableError);
  });
});
