import { applyDecorators, type CanActivate, createParamDecorator, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable, mixin, type Type, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { type HmacSecret, isGuid, Public, SIGNATURE_HEADER, type SignatureCheck, verifySignature } from '@switchboard/auth';
import { RateLimits, type RequestWithRawBody } from '@switchboard/service-kit';
import { randomBytes } from 'node:crypto';

/** Names the tenant whose secret signed a server-side call. */
export const TENANT_HEADER = 'X-Switchboard-Tenant';

/** What a service tells the shared guard: where a tenant's secret is, and the replay window. */
export interface TenantSignatureKeys {
  /** How many seconds a signature's timestamp may be from now. */
  readonly toleranceSec: number;
  /** The tenant's secret (undefined: it has none). `fromCache`: it may be out of date, so a mismatch asks `storedSecretOf`. */
  secretOf(tenantId: string): Promise<{ secret: HmacSecret | undefined; fromCache?: boolean }>;
  /** The secret as stored now, past any cache. */
  storedSecretOf?(tenantId: string): Promise<HmacSecret | undefined>;
  /** Now, for the replay window (an injected Clock); the system time when absent. */
  now?(): Date;
}

export interface TenantSignedOptions {
  /** The provider (of the controller's module) that finds the secrets. */
  keys: Type<TenantSignatureKeys>;
  /** Documents the signature header: which secret signs and within which window. */
  signatureDescription: string;
}

type SignedRequest = RequestWithRawBody & { signedTenantId?: string };
type Refusal = Exclude<SignatureCheck, { valid: true }>['reason'];

const REFUSALS: Record<Refusal, { code: string; message: (toleranceSec: number) => string }> = {
  missing: { code: 'InvalidSignature', message: () => `The ${SIGNATURE_HEADER} header is required: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">.` },
  malformed: { code: 'InvalidSignature', message: () => `The ${SIGNATURE_HEADER} header must look like t=<unix seconds>,v1=<64 hex digits>.` },
  // Also the answer for a tenant without a secret: the endpoint does not reveal which tenants exist.
  mismatch: { code: 'InvalidSignature', message: () => "The signature does not match the body under this tenant's secret." },
  stale: { code: 'StaleSignature', message: (toleranceSec) => `The signature's timestamp is more than ${toleranceSec} seconds from now; sign each request when sending it.` },
};

function refuse(code: string, message: string): HttpException {
  return new HttpException({ error: { code, message } }, HttpStatus.UNAUTHORIZED);
}

/**
 * Authenticates a server-side sender (P1.4): the tenant named by X-Switchboard-Tenant, an HMAC-SHA256
 * signature of the raw body under that tenant's secret (libs/auth `verifySignature`), and a timestamp
 * within the keys' window (an old request cannot be replayed; a resend within it is the caller's
 * duplicate to answer). Then the tenant's rate budget is charged. Marks the request with its tenant.
 */
export async function checkTenantSignature(request: SignedRequest, keys: TenantSignatureKeys, rateLimits: RateLimits): Promise<string> {
  const named = request.headers[TENANT_HEADER.toLowerCase()];
  if (typeof named !== 'string' || !isGuid(named)) throw refuse('InvalidSignature', `The ${TENANT_HEADER} header must carry the tenant id, a GUID.`);
  const tenantId = named.toLowerCase();
  const now = keys.now?.();
  const checkWith = (secret: HmacSecret | undefined) =>
    verifySignature({
      // A tenant without a secret is checked against a throw-away one, so its answer is a plain mismatch.
      secret: secret ?? randomBytes(32),
      rawBody: request.rawBody ?? Buffer.alloc(0),
      header: request.headers[SIGNATURE_HEADER.toLowerCase()],
      toleranceSec: keys.toleranceSec,
      ...(now && { now: Math.floor(now.getTime() / 1000) }),
    });
  const recent = await keys.secretOf(tenantId);
  let check = checkWith(recent.secret);
  // A remembered secret may have been replaced through another replica: the stored one has the last word.
  if (!check.valid && check.reason === 'mismatch' && recent.fromCache && keys.storedSecretOf) check = checkWith(await keys.storedSecretOf(tenantId));
  if (!check.valid) throw refuse(REFUSALS[check.reason].code, REFUSALS[check.reason].message(keys.toleranceSec));
  rateLimits.admitTenant(tenantId);
  request.signedTenantId = tenantId;
  return tenantId;
}

/** One guard class per keys provider, so Nest builds it once per module like any other guard. */
const guards = new Map<Type<TenantSignatureKeys>, Type<CanActivate>>();

export function tenantSignatureGuard(keys: Type<TenantSignatureKeys>): Type<CanActivate> {
  const existing = guards.get(keys);
  if (existing) return existing;
  @Injectable()
  class TenantSignatureGuard implements CanActivate {
    constructor(
      @Inject(keys) private readonly keys: TenantSignatureKeys,
      private readonly rateLimits: RateLimits,
    ) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      await checkTenantSignature(context.switchToHttp().getRequest<SignedRequest>(), this.keys, this.rateLimits);
      return true;
    }
  }
  const guard = mixin(TenantSignatureGuard);
  guards.set(keys, guard);
  return guard;
}

/** The tenant whose secret signed the request (the TenantSigned guard ran first). */
export const SignedTenant = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const tenantId = context.switchToHttp().getRequest<SignedRequest>().signedTenantId;
  if (tenantId === undefined) throw new Error('SignedTenant() needs TenantSigned() on the route');
  return tenantId;
});

/**
 * A route or controller for server-side senders: no bearer token but a tenant signature, checked by a
 * guard that runs before any pipe (unauthenticated callers learn nothing from a 400), headers documented.
 */
export function TenantSigned(options: TenantSignedOptions): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Public(),
    UseGuards(tenantSignatureGuard(options.keys)),
    ApiHeader({ name: TENANT_HEADER, required: true, description: 'The tenant id (GUID)' }),
    ApiHeader({ name: SIGNATURE_HEADER, required: true, description: options.signatureDescription }),
    ApiResponse({ status: 401, description: 'InvalidSignature (missing, malformed or wrong signature, unknown tenant) or StaleSignature' }),
  );
}
