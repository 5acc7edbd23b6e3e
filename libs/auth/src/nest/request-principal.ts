import { MissingTokenError } from '../auth-errors';
import type { Principal } from '../principal';

/**
 * The guard stores the verified principal on the request object itself: services read it from
 * there (or through @CurrentPrincipal / @TenantId) instead of using slow REQUEST-scoped providers.
 */
export interface AuthenticatedRequest {
  principal?: Principal;
}

export function attachPrincipal(request: object, principal: Principal): void {
  (request as AuthenticatedRequest).principal = principal;
}

export function findPrincipal(request: object): Principal | undefined {
  return (request as AuthenticatedRequest).principal;
}

/** The caller of an authenticated request; MissingTokenError (401) on a route that skipped auth. */
export function principalOf(request: object): Principal {
  const principal = findPrincipal(request);
  if (!principal) throw new MissingTokenError();
  return principal;
}

export function tenantIdOf(request: object): string {
  return principalOf(request).tenantId;
}
