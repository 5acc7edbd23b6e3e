import { ForbiddenError } from './auth-errors';
import type { Role } from './roles';

/** The authenticated caller, derived from a verified token (P1.2). */
export interface Principal {
  /** Organization (tenant) id from the `tid` claim, lower-case GUID. */
  tenantId: string;
  /** The `sub` claim. */
  subject: string;
  /** Known roles from the `roles` claim; unknown role names are dropped. */
  roles: Role[];
  name?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** Throws ForbiddenError (403) unless the principal holds at least one of `allowed` (P1.3). */
export function requireAnyRole(
  principal: Principal,
  allowed: readonly Role[],
): void {
  if (
    allowed.length === 0 ||
    allowed.some((role) => principal.roles.includes(role))
  )
    return;
  throw new ForbiddenError(
    'missing_role',
    `This operation requires one of the roles: ${allowed.join(', ')}.`,
  );
}

/** Throws ForbiddenError (403) when a resource of another tenant is addressed (P1.1). */
export function requireSameTenant(
  principal: Principal,
  addressedTenantId: string,
): void {
  if (principal.tenantId === addressedTenantId.toLowerCase()) return;
  throw new ForbiddenError(
    'tenant_mismatch',
    'The token was issued for another organization.',
  );
}
