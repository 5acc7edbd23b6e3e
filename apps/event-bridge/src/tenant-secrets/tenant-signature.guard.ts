import { applyDecorators, type CanActivate, createParamDecorator, type ExecutionContext, HttpException, HttpStatus, Injectable, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { isGuid, Public, SIGNATURE_HEADER, type SignatureCheck, verifySignature } from '@switchboard/auth';
import { RateLimits, type RequestWithRawBody } from '@switchboard/service-kit';
import { randomBytes } from 'node:crypto';
import { EventBridgeConfig } from '../config';
import { TenantSecretsService } from './tenant-secrets.service';

export const TENANT_HEADER = 'X-Switchboard-Tenant';

type SignedRequest = RequestWithRawBody & { signedTenantId?: string };

const REFUSALS: Record<Exclude<SignatureCheck, { valid: true }>['reason'], { code: string; message: (toleranceSec: number) => string }> = {
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
 * Authenticates a server-side sender (adapter events EB1.1 b, contact-session events; P1.4): the tenant named by X-Switchboard-Tenant, an
 * HMAC-SHA256 signature of the raw body under that tenant's secret, and a timestamp within
 * ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC of now (a replay of an old request is refused; a resend
 * within the window is answered as a duplicate, EB2.2). Then the tenant's rate budget is charged.
 */
@Injectable()
export class TenantSignatureGuard implements CanActivate {
  constructor(
    private readonly secrets: TenantSecretsService,
    private readonly config: EventBridgeConfig,
    private readonly rateLimits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const named = request.headers[TENANT_HEADER.toLowerCase()];
    if (typeof named !== 'string' || !isGuid(named)) throw refuse('InvalidSignature', `The ${TENANT_HEADER} header must carry the tenant id, a GUID.`);
    const tenantId = named.toLowerCase();
    const toleranceSec = this.config.ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC;
    const checkWith = (secret: string | undefined) =>
      verifySignature({
        // A tenant without a secret is checked against a throw-away one, so its answer is a plain mismatch.
        secret: secret ?? randomBytes(32),
        rawBody: request.rawBody ?? Buffer.alloc(0),
        header: request.headers[SIGNATURE_HEADER.toLowerCase()],
        toleranceSec,
      });
    const recent = await this.secrets.recentSecretOf(tenantId, 'ingressHmac');
    let check = checkWith(recent.secret);
    // The remembered secret may have been replaced through another replica: the stored one has the last word.
    if (!check.valid && check.reason === 'mismatch' && recent.fromCache) check = checkWith(await this.secrets.secretOf(tenantId, 'ingressHmac'));
    if (!check.valid) throw refuse(REFUSALS[check.reason].code, REFUSALS[check.reason].message(toleranceSec));
    this.rateLimits.admitTenant(tenantId);
    request.signedTenantId = tenantId;
    return true;
  }
}

/** The tenant whose secret signed the request (TenantSignatureGuard ran first). */
export const SignedTenant = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const tenantId = context.switchToHttp().getRequest<SignedRequest>().signedTenantId;
  if (tenantId === undefined) throw new Error('SignedTenant() needs TenantSigned() on the route');
  return tenantId;
});

const SIGNATURE_DESCRIPTION = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the tenant\'s ingress secret; t within ±300 s (ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC)';

/**
 * A route or controller for server-side senders: no bearer token but a tenant signature (TenantSignatureGuard,
 * which runs before any pipe, so unauthenticated callers learn nothing from a 400), both headers documented.
 */
export function TenantSigned(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Public(),
    UseGuards(TenantSignatureGuard),
    ApiHeader({ name: TENANT_HEADER, required: true, description: 'The tenant id (GUID)' }),
    ApiHeader({ name: SIGNATURE_HEADER, required: true, description: SIGNATURE_DESCRIPTION }),
    ApiResponse({ status: 401, description: 'InvalidSignature (missing, malformed or wrong signature, unknown tenant) or StaleSignature' }),
  );
}
