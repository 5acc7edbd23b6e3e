/**
 * Framework-free authentication errors. Each carries the HTTP status and the OData-style error
 * code it maps to, so the Nest layer (or any other adapter) can answer without guessing.
 */
export abstract class AuthError extends Error {
  abstract readonly status: 401 | 403 | 503;
  abstract readonly code: string;
}

/** No `Authorization: Bearer` credential at all → 401. */
export class MissingTokenError extends AuthError {
  readonly status = 401;
  readonly code = 'MissingToken';
  constructor(
    message = 'A bearer token is required (Authorization: Bearer <token>).',
  ) {
    super(message);
    this.name = 'MissingTokenError';
  }
}

export type InvalidTokenReason =
  | 'malformed'
  | 'bad_signature'
  | 'unknown_signing_key'
  | 'algorithm_not_allowed'
  | 'untrusted_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_claims';

/** A token was presented but cannot be trusted → 401 with a machine-readable reason. */
export class InvalidTokenError extends AuthError {
  readonly status = 401;
  readonly code = 'InvalidToken';
  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
    /** The claim at fault, when one is. */
    readonly claim?: string,
  ) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export type ForbiddenReason =
  | 'missing_role'
  | 'tenant_not_allowed'
  | 'tenant_mismatch';

/** Authenticated, but not allowed: wrong role or wrong tenant → 403. */
export class ForbiddenError extends AuthError {
  readonly status = 403;
  readonly code = 'Forbidden';
  constructor(
    readonly reason: ForbiddenReason,
    message: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The identity provider's keys could not be fetched: our problem, not the caller's → 503. */
export class AuthProviderUnavailableError extends AuthError {
  readonly status = 503;
  readonly code = 'AuthProviderUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthProviderUnavailableError';
  }
}

/** An HMAC-signed machine request (P1.4) failed verification → 401. */
export class InvalidSignatureError extends AuthError {
  readonly status = 401;
  readonly code = 'InvalidSignature';
  constructor(
    readonly reason: 'missing' | 'malformed' | 'mismatch' | 'stale',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSignatureError';
  }
}
