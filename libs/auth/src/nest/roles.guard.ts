import {
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { requireAnyRole } from '../principal';
import type { Role } from '../roles';
import { ROLES_KEY } from './auth.constants';
import { isPublicRoute, rethrowForHttp } from './guard-support';
import { principalOf } from './request-principal';

/** Enforces @Roles(...) (P1.3): 403 when the caller holds none of them. Runs after AuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || isPublicRoute(this.reflector, context))
      return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(
      ROLES_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (!required || required.length === 0) return true;
    try {
      requireAnyRole(
        principalOf(context.switchToHttp().getRequest<object>()),
        required,
      );
      return true;
    } catch (error) {
      rethrowForHttp(context, error);
    }
  }
}
