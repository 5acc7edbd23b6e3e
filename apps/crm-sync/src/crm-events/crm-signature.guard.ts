import { applyDecorators, type CanActivate, createParamDecorator, type ExecutionContext, HttpException, HttpStatus, Injectable, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { isGuid, Public, SIGNATURE_HEADER, verifySignature } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import { RateLimits, type RequestWithRawBody } from '@switchboard/service-kit';
import { randomBytes } from 'node:crypto';
import { CrmSyncConfig } from '../config';
import { CrmWebhookSecrets } from './crm-webhook-secrets';

export const TENANT_HEADER = 'X-Switchboard-Tenant';

type SignedRequest = RequestWithRawBody & { signedTenantId?: string };

function refused(code: 'InvalidSignature' | 'StaleSignature', message: string): HttpException {
  return new HttpException({ error: { code, message } }, HttpStatus.UNAUTHORIZED);
}

/**
 * A CRM's webhook call (P1.4), signed like every server-side sender of the platform (libs/auth HMAC:
 * `X-Switchboard-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`) with the tenant's
 * webhook secret, the tenant named by X-Switchboard-Tenant. A timestamp more than
 * CRM_WEBHOOK_SIGNATURE_TOLERANCE_SEC from now is refused, so a captured request cannot be replayed
 * later; within the window a replay is a duplicate of the CRM's event id. Runs before any pipe.
 */
@Injectable()
export class CrmSignatureGuard implements CanActivate {
  constructor(
    private readonly secrets: CrmWebhookSecrets,
    private readonly config: CrmSyncConfig,
    private readonly clock: Clock,
    private readonly rateLimits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const named = request.headers[TENANT_HEADER.toLowerCase()];
    if (typeof named !== 'string' || !isGuid(named)) throw refused('InvalidSignature', `The ${TENANT_HEADER} header must carry the tenant id, a GUID.`);
    const tenantId = named.toLowerCase();
    const toleranceSec = this.config.CRM_WEBHOOK_SIGNATURE_TOLERANCE_SEC;
    const check = verifySignature({
      // A tenant without a secret is checked against a throw-away one: its answer is a plain mismatch.
      secret: (await this.secrets.secretOf(tenantId)) ?? randomBytes(32),
      rawBody: request.rawBody ?? Buffer.alloc(0),
      header: request.headers[SIGNATURE_HEADER.toLowerCase()],
      toleranceSec,
      now: Math.floor(this.clock.now().getTime() / 1000),
    });
    if (!check.valid && check.reason === 'stale') throw refused('StaleSignature', `The signature's timestamp is more than ${toleranceSec} seconds from now; sign each request when sending it.`);
    if (!check.valid) throw refused('InvalidSignature', `${SIGNATURE_HEADER} must be t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> under the tenant's webhook secret.`);
    this.rateLimits.admitTenant(tenantId);
    request.signedTenantId = tenantId;
    return true;
  }
}

/** The tenant whose secret signed the request. */
export const SignedTenant = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const tenantId = context.switchToHttp().getRequest<SignedRequest>().signedTenantId;
  if (tenantId === undefined) throw new Error('SignedTenant() needs CrmSigned() on the route');
  return tenantId;
});

/** A route for a CRM's signed webhook calls: no bearer token, a tenant signature instead. */
export function CrmSigned(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Public(),
    UseGuards(CrmSignatureGuard),
    ApiHeader({ name: TENANT_HEADER, required: true, description: 'The tenant id (GUID)' }),
    ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the webhook secret' }),
    ApiResponse({ status: 401, description: 'InvalidSignature (missing, malformed or wrong signature, unknown tenant) or StaleSignature' }),
  );
}
