import {
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import type { Role } from '../roles';
import { ROLES_KEY } from './auth.constants';
import { toHttpException } from './http-errors';
import { principalOf } from './request-principal';
import { AuthError } from '../auth-errors';
import type { Principal } from '../principal';

export { Public } from '@switchboard/service-kit';

/** The caller needs at least one of these roles (P1.3); otherwise 403. Method metadata overrides class. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

function principalFromContext(ctx: ExecutionContext): Principal {
  try {
    return principalOf(ctx.switchToHttp().getRequest<object>());
  } catch (error) {
    throw error instanceof AuthError ? toHttpException(error) : error;
  }
}

/** Injects the verified Principal. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => principalFromContext(ctx),
);

/** Injects the caller's tenant id (lower-case GUID). */
export const TenantId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => principalFromContext(ctx).tenantId,
);
