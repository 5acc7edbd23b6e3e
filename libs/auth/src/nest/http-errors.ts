import { HttpException } from '@nestjs/common';
import { AuthError, InvalidTokenError } from '../auth-errors';

/** OData-like body `{error:{code,message}}` (P2.2); the services' error filter may reshape it. */
export interface AuthErrorBody {
  error: { code: string; message: string };
}

export function toHttpException(error: AuthError): HttpException {
  const body: AuthErrorBody = {
    error: { code: error.code, message: error.message },
  };
  return new HttpException(body, error.status, { cause: error });
}

/** RFC 6750 challenge sent with every 401 from bearer authentication. */
export function bearerChallenge(error: AuthError): string | undefined {
  if (error.status !== 401) return undefined;
  if (!(error instanceof InvalidTokenError))
    return 'Bearer realm="switchboard"';
  const description = error.message.replace(/["\\]/g, "'");
  return `Bearer realm="switchboard", error="invalid_token", error_description="${description}"`;
}
