import { HttpException } from '@nestjs/common';
import { AuthError, InvalidTokenError, type InvalidTokenReason } from '../auth-errors';

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

// Fixed texts: nothing the caller sent (an unverified claim, a parser's quote of the token) ever
// reaches a header, where a CR/LF or a character above U+00FF would make Node refuse to answer.
const CHALLENGE_DESCRIPTIONS: Record<InvalidTokenReason, string> = {
  malformed: 'The token is malformed.',
  bad_signature: 'The token signature is invalid.',
  unknown_signing_key: 'No trusted key matches the token signature.',
  algorithm_not_allowed: 'The token signing algorithm is not accepted.',
  untrusted_issuer: 'The token issuer is not trusted.',
  wrong_audience: 'The token was issued for another audience.',
  expired: 'The token has expired.',
  not_yet_valid: 'The token is not valid yet.',
  invalid_claims: 'The token claims are invalid.',
};

/** RFC 6750 challenge sent with every 401 from bearer authentication. */
export function bearerChallenge(error: AuthError): string | undefined {
  if (error.status !== 401) return undefined;
  if (!(error instanceof InvalidTokenError))
    return 'Bearer realm="switchboard"';
  return `Bearer realm="switchboard", error="invalid_token", error_description="${CHALLENGE_DESCRIPTIONS[error.reason]}"`;
}
