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
    setHeader(
      context.switchToHttp().getResponse<unknown>(),
      'WWW-Authenticate',
      challenge,
    );
  throw toHttpException(error);
}

// Express responses have setHeader, Fastify replies have header.
function setHeader(response: unknown, name: string, value: string): void {
  const res = response as {
    setHeader?: (n: string, v: string) => void;
    header?: (n: string, v: string) => void;
  };
  if (typeof res.setHeader === 'function') res.setHeader(name, value);
  else if (typeof res.header === 'function') res.header(name, value);
}
