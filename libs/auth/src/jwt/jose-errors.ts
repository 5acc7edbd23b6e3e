import { errors } from 'jose';
import { AuthError, InvalidTokenError } from '../auth-errors';

/** Translates jose's verification errors into our typed errors; anything unknown passes through. */
export function toAuthError(error: unknown): unknown {
  if (error instanceof AuthError || !(error instanceof errors.JOSEError))
    return error;
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return new InvalidTokenError('expired', 'The token has expired.', 'exp');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimError(error as errors.JWTClaimValidationFailed);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new InvalidTokenError(
        'bad_signature',
        'The token signature is invalid.',
      );
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new InvalidTokenError(
        'unknown_signing_key',
        'No trusted key matches the token signature.',
      );
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new InvalidTokenError(
        'algorithm_not_allowed',
        'The token signing algorithm is not accepted.',
      );
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new InvalidTokenError(
        'malformed',
        `The token is malformed: ${error.message}`,
      );
    default:
      return error;
  }
}

function claimError(error: errors.JWTClaimValidationFailed): InvalidTokenError {
  switch (error.claim) {
    case 'nbf':
      return new InvalidTokenError(
        'not_yet_valid',
        'The token is not valid yet (nbf).',
        'nbf',
      );
    case 'iss':
      return new InvalidTokenError(
        'untrusted_issuer',
        'The token issuer is not trusted.',
        'iss',
      );
    case 'aud':
      return new InvalidTokenError(
        'wrong_audience',
        'The token was issued for another audience.',
        'aud',
      );
    default:
      return new InvalidTokenError(
        'invalid_claims',
        `The "${error.claim}" claim is invalid: ${error.message}`,
        error.claim,
      );
  }
}
