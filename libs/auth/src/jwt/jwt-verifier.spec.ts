import { errors, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ForbiddenError,
  InvalidTokenError,
  MissingTokenError,
} from '../auth-errors';
import { DEV_ISSUER } from '../dev/dev-issuer';
import { generateDevKeys } from '../dev/dev-keys';
import { mintDevToken } from '../dev/mint-dev-token';
import { requireAnyRole } from '../principal';
import { Role } from '../roles';
import {
  createTestIssuer,
  TENANT_A,
  TENANT_B,
  TEST_AUDIENCE,
  type TestIssuer,
} from '../test-support/test-issuer';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

let idp: TestIssuer;
let impostor: TestIssuer;
let verifier: JwtVerifier;

beforeAll(async () => {
  idp = await createTestIssuer();
  // Same issuer name and kid, different key: what a forged token looks like.
  impostor = await createTestIssuer({ issuer: idp.issuer, kid: idp.kid });
  verifier = new JwtVerifier({
    issuers: [idp.issuer],
    audience: TEST_AUDIENCE,
    publicKeys: [idp.publicJwk],
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

async function invalidReason(token: string, using: JwtVerifier = verifier) {
  const error = await rejection(using.verify(token));
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect((error as InvalidTokenError).status).toBe(401);
  return (error as InvalidTokenError).reason;
}

const nowSec = () => Math.floor(Date.now() / 1000);

describe('JwtVerifier (P1.2)', () => {
  it('P1.2 accepts a good token and maps tid, sub, roles and name to a Principal', async () => {
    const token = await idp.sign({
      tid: TENANT_A.toUpperCase(),
      roles: ['OmnichannelSupervisor', 'SomeOtherAppRole'],
      name: 'Ada Agent',
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      tenantId: TENANT_A,
      subject: 'user-1',
      roles: [Role.OmnichannelSupervisor],
      name: 'Ada Agent',
    });
  });

  it('P1.2 reads the token from an Authorization: Bearer header', async () => {
    const principal = await verifier.verifyAuthorizationHeader(
      `bearer ${await idp.sign()}`,
    );
    expect(principal.tenantId).toBe(TENANT_A);
  });

  it('P1.3 missing token or another scheme → MissingTokenError (401)', async () => {
    for (const header of [undefined, '', 'Bearer ', 'Basic dXNlcjpwYXNz']) {
      const error = await rejection(verifier.verifyAuthorizationHeader(header));
      expect(error).toBeInstanceOf(MissingTokenError);
      expect((error as MissingTokenError).status).toBe(401);
    }
  });

  it('P1.2 refuses a token signed by another key → bad_signature', async () => {
    expect(await invalidReason(await impostor.sign())).toBe('bad_signature');
  });

  it('P1.2 refuses a token whose body was altered after signing → bad_signature', async () => {
    const [header, , signature] = (await idp.sign()).split('.');
    const forgedBody = Buffer.from(
      JSON.stringify({
        iss: idp.issuer,
        aud: TEST_AUDIENCE,
        sub: 'x',
        tid: TENANT_B,
        exp: nowSec() + 600,
      }),
    ).toString('base64url');
    expect(await invalidReason(`${header}.${forgedBody}.${signature}`)).toBe(
      'bad_signature',
    );
  });

  it('P1.2 refuses an untrusted issuer → untrusted_issuer', async () => {
    expect(
      await invalidReason(await idp.sign({ iss: 'https://evil.example/' })),
    ).toBe('untrusted_issuer');
    expect(await invalidReason(await idp.sign({ iss: undefined }))).toBe(
      'untrusted_issuer',
    );
  });

  it('P1.2 refuses another audience → wrong_audience', async () => {
    expect(
      await invalidReason(await idp.sign({ aud: 'api://someone-else' })),
    ).toBe('wrong_audience');
    expect(await invalidReason(await idp.sign({ aud: undefined }))).toBe(
      'wrong_audience',
    );
  });

  it('P1.2 accepts any of several configured audiences', async () => {
    const multi = new JwtVerifier({
      issuers: [idp.issuer],
      audience: ['api://a', TEST_AUDIENCE],
      publicKeys: [idp.publicJwk],
    });
    await expect(multi.verify(await idp.sign())).resolves.toMatchObject({
      tenantId: TENANT_A,
    });
  });

  it('P1.2 refuses an expired token → expired', async () => {
    expect(
      await invalidReason(
        await idp.sign({
          iat: nowSec() - 7200,
          nbf: nowSec() - 7200,
          exp: nowSec() - 3600,
        }),
      ),
    ).toBe('expired');
  });

  it('P1.2 refuses a token without exp', async () => {
    const error = await rejection(
      verifier.verify(await idp.sign({ exp: undefined })),
    );
    expect(error).toMatchObject({ reason: 'invalid_claims', claim: 'exp' });
  });

  it('P1.2 refuses a token whose nbf is in the future → not_yet_valid', async () => {
    expect(await invalidReason(await idp.sign({ nbf: nowSec() + 3600 }))).toBe(
      'not_yet_valid',
    );
  });

  it('P1.2 honours the clock tolerance for exp', async () => {
    const justExpired = await idp.sign({
      iat: nowSec() - 600,
      nbf: nowSec() - 600,
      exp: nowSec() - 30,
    });
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({
      subject: 'user-1',
    });
    const strict = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicJwk],
      clockToleranceSec: 0,
    });
    expect(await invalidReason(justExpired, strict)).toBe('expired');
  });

  it('P1.2 refuses a token without tid, or with a tid that is not a GUID', async () => {
    expect(
      await rejection(verifier.verify(await idp.sign({ tid: undefined }))),
    ).toMatchObject({
      reason: 'invalid_claims',
      claim: 'tid',
    });
    expect(
      await rejection(verifier.verify(await idp.sign({ tid: 'contoso' }))),
    ).toMatchObject({ claim: 'tid' });
    expect(
      await rejection(verifier.verify(await idp.sign({ tid: 42 }))),
    ).toMatchObject({ claim: 'tid' });
  });

  it('P1.2 refuses a token without sub, or with a roles claim that is not a string array', async () => {
    expect(
      await rejection(verifier.verify(await idp.sign({ sub: undefined }))),
    ).toMatchObject({ claim: 'sub' });
    expect(
      await rejection(
        verifier.verify(await idp.sign({ roles: 'Administrator' })),
      ),
    ).toMatchObject({ claim: 'roles' });
  });

  it('P1.2 a token without roles authenticates with no roles', async () => {
    await expect(
      verifier.verify(await idp.sign({ roles: undefined })),
    ).resolves.toMatchObject({ roles: [] });
  });

  it('P1.2 refuses shared-secret and unsigned tokens → algorithm_not_allowed', async () => {
    const claims = {
      iss: idp.issuer,
      aud: TEST_AUDIENCE,
      sub: 'x',
      tid: TENANT_A,
      exp: nowSec() + 600,
    };
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    expect(await invalidReason(hs256)).toBe('algorithm_not_allowed');
    expect(await invalidReason(new UnsecuredJWT(claims).encode())).toBe(
      'algorithm_not_allowed',
    );
  });

  it('P1.2 refuses garbage → malformed', async () => {
    expect(await invalidReason('not-a-jwt')).toBe('malformed');
    expect(await invalidReason('a.b.c')).toBe('malformed');
  });

  it('P1.2 a kid nobody knows → unknown_signing_key', async () => {
    expect(
      await invalidReason(await idp.sign({}, { kid: 'rotated-away' })),
    ).toBe('unknown_signing_key');
  });

  it('P1.2 accepts PEM keys (no kid) even when the token names a kid, and tries each key', async () => {
    const other = await createTestIssuer({ issuer: idp.issuer, alg: 'ES256' });
    const pems = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [impostor.publicKeyPem, other.publicKeyPem, idp.publicKeyPem],
    });
    await expect(pems.verify(await idp.sign())).resolves.toMatchObject({
      tenantId: TENANT_A,
    });
    await expect(
      pems.verify(await other.sign({}, { kid: undefined })),
    ).resolves.toMatchObject({ tenantId: TENANT_A });
  });

  it('P1.2 "{tenantid}" issuers accept only the issuer of the token\'s own tenant', async () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    const entra = new JwtVerifier({
      issuers: [template],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicJwk],
    });
    const issuerOf = (tid: string) => template.replace('{tenantid}', tid);
    await expect(
      entra.verify(await idp.sign({ iss: issuerOf(TENANT_A), tid: TENANT_A })),
    ).resolves.toMatchObject({
      tenantId: TENANT_A,
    });
    expect(
      await invalidReason(
        await idp.sign({ iss: issuerOf(TENANT_B), tid: TENANT_A }),
        entra,
      ),
    ).toBe('untrusted_issuer');
  });

  it('P1.2 tenants outside allowedTenantIds → ForbiddenError (403)', async () => {
    const single = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicJwk],
      allowedTenantIds: [TENANT_A.toUpperCase()],
    });
    await expect(
      single.verify(await idp.sign({ tid: TENANT_A })),
    ).resolves.toMatchObject({ tenantId: TENANT_A });
    const error = await rejection(
      single.verify(await idp.sign({ tid: TENANT_B })),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ status: 403, reason: 'tenant_not_allowed' });
  });

  it('P1.3 wrong role → ForbiddenError (403); a matching role passes', async () => {
    const agent = await verifier.verify(
      await idp.sign({ roles: [Role.OmnichannelAgent] }),
    );
    const error = (() => {
      try {
        requireAnyRole(agent, [Role.Administrator]);
        return undefined;
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ status: 403, reason: 'missing_role' });
    expect(() =>
      requireAnyRole(agent, [
        Role.OmnichannelSupervisor,
        Role.OmnichannelAgent,
      ]),
    ).not.toThrow();
  });

  it('P1.2 refuses unusable configurations', () => {
    const base: JwtVerifierOptions = {
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
    };
    expect(() => new JwtVerifier(base)).toThrow(/jwksUrl or publicKeys/);
    expect(() => new JwtVerifier({ ...base, issuers: [] })).toThrow(
      /at least one trusted issuer/,
    );
    expect(
      () =>
        new JwtVerifier({
          ...base,
          issuers: [DEV_ISSUER],
          publicKeys: [idp.publicJwk],
        }),
    ).toThrow(/devIssuer/);
  });
});

describe('JwtVerifier dev issuer (P1.5)', () => {
  it('P1.5 refuses dev tokens when the dev issuer is not enabled', async () => {
    const devKeys = await generateDevKeys();
    const devToken = await mintDevToken({
      tenantId: TENANT_A,
      roles: [Role.Administrator],
      keys: devKeys,
      audience: TEST_AUDIENCE,
    });
    expect(await invalidReason(devToken)).toBe('untrusted_issuer');
  });

  it('P1.5 accepts dev tokens when enabled, and only with the dev key', async () => {
    const devKeys = await generateDevKeys();
    const withDev = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicJwk],
      devIssuer: { issuer: DEV_ISSUER, publicKey: devKeys.publicKeyPem },
    });
    const good = await mintDevToken({
      tenantId: TENANT_B,
      roles: [Role.Administrator],
      subject: 'dev',
      keys: devKeys,
      audience: TEST_AUDIENCE,
    });
    await expect(withDev.verify(good)).resolves.toEqual({
      tenantId: TENANT_B,
      subject: 'dev',
      roles: [Role.Administrator],
    });

    const strangerKeys = await generateDevKeys();
    const forged = await mintDevToken({
      tenantId: TENANT_B,
      roles: [Role.Administrator],
      keys: strangerKeys,
      audience: TEST_AUDIENCE,
    });
    expect(await invalidReason(forged, withDev)).toBe('bad_signature');
    // The IdP's key must not vouch for the dev issuer either.
    expect(
      await invalidReason(
        await idp.sign({ iss: DEV_ISSUER }, { kid: devKeys.kid }),
        withDev,
      ),
    ).toBe('unknown_signing_key');
  });
});

describe('JwtVerifier on the hot path (issue 7)', () => {
  it('P1.2 never echoes an unverified issuer, however it is spelled', async () => {
    for (const iss of ['https://evil.example/\r\nX-Injected: 1', 'https://ēvil.example/']) {
      const error = await rejection(verifier.verify(await impostor.sign({ iss })));
      expect(error).toMatchObject({
        reason: 'untrusted_issuer',
        message: 'The token issuer is not trusted.',
      });
    }
  });

  it('P1.2 remembers a verified token until it expires: the same frozen Principal comes back', async () => {
    const token = await idp.sign({ roles: [Role.OmnichannelAgent] });

    const first = await verifier.verify(token);
    const second = await verifier.verify(token);

    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.roles)).toBe(true);
  });

  it('P1.2 does not remember a token past its exp (accepted only within the clock tolerance)', async () => {
    const lateButTolerated = await idp.sign({ exp: nowSec() - 5 });

    const first = await verifier.verify(lateButTolerated);
    const second = await verifier.verify(lateButTolerated);

    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it('P1.2 with cacheSize 0 verifies every call again', async () => {
    const uncached = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicJwk],
      cacheSize: 0,
    });
    const token = await idp.sign();

    expect(await uncached.verify(token)).not.toBe(await uncached.verify(token));
  });

  it('P1.2 a refused token is never remembered', async () => {
    const forged = await impostor.sign();

    expect(await invalidReason(forged)).toBe('bad_signature');
    expect(await invalidReason(forged)).toBe('bad_signature');
  });

  it('builds no jose error while verifying a good token for the first time', async () => {
    const fresh = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      // A PEM key has no kid, so the static-key path that once built an error up front is taken.
      publicKeys: [idp.publicKeyPem],
    });
    const token = await idp.sign();
    // Every jose error records its stack through Error.captureStackTrace in its constructor.
    const stackCaptures = vi.spyOn(Error, 'captureStackTrace');
    try {
      await fresh.verify(token);
      const joseErrors = stackCaptures.mock.calls.filter(
        ([target]) => target instanceof errors.JOSEError,
      );
      expect(joseErrors).toEqual([]);
    } finally {
      stackCaptures.mockRestore();
    }
  });
});
