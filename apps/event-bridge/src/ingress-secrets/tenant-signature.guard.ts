import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { isGuid, Public, SIGNATURE_HEADER, verifySignature } from '@switchboard/auth';
import type { RequestWithRawBody } from '@switchboard/service-kit';
import { IngressSecretsService } from './ingress-secrets.service';

/** Names the tenant whose ingress secret signed a server-side post (P1.4). */
export const TENANT_HEADER = 'X-Switchboard-Tenant';

type SignedRequest = RequestWithRawBody & { signedTenantId?: string };

/**
 * Admits a server-side post only when `X-Switchboard-Signature: t=<unix>,v1=<hex>` is the HMAC of its exact
 * body under the secret of the tenant in `X-Switchboard-Tenant` (P1.4). A guard runs before any pipe, so
 * the body is validated only for an authenticated sender: unauthenticated callers learn nothing from a 400.
 */
@Injectable()
export class TenantSignatureGuard implements CanActivate {
  constructor(private readonly secrets: IngressSecretsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    // One answer for every failure, so the endpoint does not reveal which tenants exist.
    const refuse = () => new UnauthorizedException('Missing or invalid tenant signature');
    const tenantId = request.headers[TENANT_HEADER.toLowerCase()];
    if (typeof tenantId !== 'string' || !isGuid(tenantId) || !request.rawBody) throw refuse();
    const secret = await this.secrets.secretOf(tenantId);
    if (!secret) throw refuse();
    const check = verifySignature({ secret, rawBody: request.rawBody, header: request.headers[SIGNATURE_HEADER.toLowerCase()] });
    if (!check.valid) throw refuse();
    request.signedTenantId = tenantId;
    return true;
  }
}

/** The tenant TenantSignatureGuard verified the request for. */
export const SignedTenantId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const tenantId = context.switchToHttp().getRequest<SignedRequest>().signedTenantId;
  if (!tenantId) throw new Error('SignedTenantId needs TenantSignatureGuard on the route');
  return tenantId;
});

/** A route for server-side senders: no bearer token, a tenant signature instead (TenantSignatureGuard), both headers documented. */
export function TenantSigned(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Public(),
    UseGuards(TenantSignatureGuard),
    ApiHeader({ name: TENANT_HEADER, required: true }),
    ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">' }),
  );
}
