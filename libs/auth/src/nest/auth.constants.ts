// @Public() lives in the service kit, so its own routes (health, metrics) need not import auth.
export { IS_PUBLIC_KEY } from '@switchboard/service-kit';
export const ROLES_KEY = 'switchboard:auth:roles';
export const AUTH_GUARD_OPTIONS = Symbol('AUTH_GUARD_OPTIONS');

export interface AuthGuardOptions {
  /**
   * Route parameters that name a tenant; when a route has one, it must equal the caller's tenant
   * (P1.1, "wrong tenant → 403"). Default: ['tenantId'].
   */
  tenantRouteParams: string[];
}
