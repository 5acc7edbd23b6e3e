/** Why Dynamics gave no usable answer: each kind has its own defined answer to the caller (CS7.3). */
export type DataDipFailureKind = 'crm_timeout' | 'crm_throttled' | 'crm_error';

export class DataDipFailure extends Error {
  constructor(
    readonly kind: DataDipFailureKind,
    message: string,
    /** For crm_throttled: the seconds Dynamics asked us to wait (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DataDipFailure';
  }
}

/** A Dataverse 401: the cached token is no longer accepted (revoked, rotated secret). */
export class TokenRejected extends Error {}
