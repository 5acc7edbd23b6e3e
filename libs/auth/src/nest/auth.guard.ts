import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimits } from '@switchboard/service-kit';
import { JwtVerifier } from '../jwt/jwt-verifier';
import { requireSameTenant } from '../principal';
import { AUTH_GUARD_OPTIONS, type AuthGuardOptions } from './auth.constants';
import { isPublicRoute, rethrowForHttp } from './guard-support';
import { attachPrincipal } from './request-principal';

interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
}

/**
 * Authenticates HTTP requests with `Authorization: Bearer` (P1.2), charges the caller's tenant
 * budget (P2.3, when the service kit's RateLimits is present) and attaches the Principal to the
 * request. Skips @Public() routes and non-HTTP contexts (Kafka handlers trust the broker, and
 * machine ingress uses HMAC signatures instead).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
    @Inject(AUTH_GUARD_OPTIONS) private readonly options: AuthGuardOptions,
    @Optional() private readonly rateLimits?: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || isPublicRoute(this.reflector, context))
      return true;
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    try {
      const principal = await this.verifier.verifyAuthorizationHeader(
        request.headers['authorization'],
      );
      for (const param of this.options.tenantRouteParams) {
        const addressed = request.params?.[param];
        if (addressed !== undefined) requireSameTenant(principal, addressed);
      }
      this.rateLimits?.admitTenant(principal.tenantId);
      attachPrincipal(request, principal);
      return true;
    } catch (error) {
      rethrowForHttp(context, error);
    }
  }
}
