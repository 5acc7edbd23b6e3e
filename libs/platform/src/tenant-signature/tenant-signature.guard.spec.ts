import { HttpException } from '@nestjs/common';
import { signBody } from '@switchboard/auth';
import { RateLimits, type RequestWithRawBody, type ServiceConfig } from '@switchboard/service-kit';
import { describe, expect, it } from 'vitest';
import { checkTenantSignature, type TenantSignatureKeys } from './tenant-signature.guard';

const TENANT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SECRET = 'whsec_current';
const BODY = '{"event":"case.updated"}';
const T = 1_900_000_000;

/** Two requests a tenant a minute; no other budget. */
const rateLimits = () =>
  new RateLimits({ RATE_LIMIT_PER_ADDRESS: false, RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: false, RATE_LIMIT_PER_TENANT: { limit: 2, periodMs: 60_000 } } as unknown as ServiceConfig);

function request(headers: Record<string, string>, body = BODY): RequestWithRawBody & { signedTenantId?: string } {
  return { headers, rawBody: Buffer.from(body) } as unknown as RequestWithRawBody & { signedTenantId?: string };
}

function keys(secrets: Partial<TenantSignatureKeys> & { stored?: string; remembered?: string }): TenantSignatureKeys & { storedReads: number } {
  const result = {
    toleranceSec: 300,
    storedReads: 0,
    now: () => new Date(T * 1000),
    secretOf: async () => (secrets.remembered !== undefined ? { secret: secrets.remembered, fromCache: true } : { secret: secrets.stored, fromCache: false }),
    storedSecretOf: async () => {
      result.storedReads += 1;
      return secrets.stored;
    },
    ...secrets,
  };
  return result;
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpException);
  const http = error as HttpException;
  const body = http.getResponse() as { error: { code: string; message: string } };
  return { status: http.getStatus(), ...body.error };
}

const signedHeaders = (secret = SECRET, at = T) => ({ 'x-switchboard-tenant': TENANT.toUpperCase(), 'x-switchboard-signature': signBody(secret, BODY, at) });

describe('shared tenant signature guard (P1.4)', () => {
  it('P1.4 accepts a body signed with the tenant secret and marks the request with the tenant (lower-cased)', async () => {
    const signed = request(signedHeaders());
    expect(await checkTenantSignature(signed, keys({ stored: SECRET }), rateLimits())).toBe(TENANT);
    expect(signed.signedTenantId).toBe(TENANT);
  });

  it.each([
    ['no tenant header', { 'x-switchboard-signature': signBody(SECRET, BODY, T) }, 'InvalidSignature', /X-Switchboard-Tenant header must carry the tenant id/],
    ['a tenant that is not a GUID', { ...signedHeaders(), 'x-switchboard-tenant': 'tenant-a' }, 'InvalidSignature', /GUID/],
    ['no signature header', { 'x-switchboard-tenant': TENANT }, 'InvalidSignature', /header is required/],
    ['a malformed signature', { 'x-switchboard-tenant': TENANT, 'x-switchboard-signature': `t=${T}` }, 'InvalidSignature', /must look like/],
    ['another secret', signedHeaders('whsec_other'), 'InvalidSignature', /does not match/],
    ['a signature 301 s old', signedHeaders(SECRET, T - 301), 'StaleSignature', /more than 300 seconds/],
  ])('P1.4 refuses %s with 401 %s', async (_name, headers, code, message) => {
    const refused = await refusal(checkTenantSignature(request(headers), keys({ stored: SECRET }), rateLimits()));
    expect(refused).toMatchObject({ status: 401, code });
    expect(refused.message).toMatch(message);
  });

  it('P1.4 a tenant without a secret gets the same mismatch answer as a wrong signature', async () => {
    expect(await refusal(checkTenantSignature(request(signedHeaders()), keys({ stored: undefined }), rateLimits()))).toMatchObject({ status: 401, code: 'InvalidSignature', message: expect.stringMatching(/does not match/) });
  });

  it('P1.4 measures the replay window with the keys clock, and with the system time when the keys bring none', async () => {
    const fresh = request(signedHeaders(SECRET, Math.floor(Date.now() / 1000)));
    expect(await refusal(checkTenantSignature(fresh, keys({ stored: SECRET }), rateLimits()))).toMatchObject({ code: 'StaleSignature' });
    expect(await checkTenantSignature(fresh, keys({ stored: SECRET, now: undefined }), rateLimits())).toBe(TENANT);
  });

  it('P1.4 a mismatch against a remembered secret is checked again against the stored one; a match needs no second read', async () => {
    const replaced = keys({ remembered: 'whsec_before_rotation', stored: SECRET });
    expect(await checkTenantSignature(request(signedHeaders()), replaced, rateLimits())).toBe(TENANT);
    expect(replaced.storedReads).toBe(1);
    const current = keys({ remembered: SECRET, stored: SECRET });
    expect(await checkTenantSignature(request(signedHeaders()), current, rateLimits())).toBe(TENANT);
    expect(current.storedReads).toBe(0);
  });

  it('P2.3 charges the tenant rate budget only for a valid signature', async () => {
    const limits = rateLimits();
    const theKeys = keys({ stored: SECRET });
    for (let i = 0; i < 3; i++) await refusal(checkTenantSignature(request(signedHeaders('whsec_other')), theKeys, limits));
    await checkTenantSignature(request(signedHeaders()), theKeys, limits);
    await checkTenantSignature(request(signedHeaders()), theKeys, limits);
    expect(await refusal(checkTenantSignature(request(signedHeaders()), theKeys, limits))).toMatchObject({ status: 429, code: 'TooManyRequests' });
  });
});
