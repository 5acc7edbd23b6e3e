import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AuthError } from '../auth-errors';
import { IS_PUBLIC_KEY } from './auth.constants';
import { bearerChallenge, toHttpException } from './http-errors';

export function isPublicRoute(
  reflector: Reflector,
  context: ExecutionContext,
): boolean {
  return (
    reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) === true
  );
}

/** Turns our typed errors into HttpExceptions (adding the 401 challenge header); others pass. */
export function rethrowForHttp(
  context: ExecutionContext,
  error: unknown,
): never {
  if (!(error instanceof AuthError)) throw error;
  const challenge = bearerChallenge(error);
  if (challenge)
    context
      .switchToHttp()
      .getResponse<{ header(name: string, value: string): unknown }>()
      .header('WWW-Authenticate', challenge);
  throw toHttpException(error);
}
