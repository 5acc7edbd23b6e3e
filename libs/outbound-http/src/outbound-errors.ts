/** Why a guarded outbound call did not produce a usable answer. */
export type OutboundFailureKind =
  /** The URL is not http(s), carries credentials, or is not a URL at all. */
  | 'url-refused'
  /** The host resolved to (or is) an address the policy refuses: loopback, private, metadata, … */
  | 'address-refused'
  /** The server answered with a redirect and redirects are refused (or one pointed somewhere refused). */
  | 'redirect-refused'
  /** The answer was larger than the cap. */
  | 'response-too-large'
  /** No complete answer within the call's time. */
  | 'timeout'
  /** DNS failure, refused connection, reset, TLS failure. */
  | 'network';

/** Thrown by OutboundHttpClient; `kind` says what went wrong, the message says it in words (no secrets). */
export class OutboundHttpError extends Error {
  readonly code = 'SB_OUTBOUND_HTTP';

  constructor(
    readonly kind: OutboundFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundHttpError';
  }
}

/** The OutboundHttpError somewhere in an error's cause chain (undici wraps connector errors). */
export function findOutboundError(error: unknown): OutboundHttpError | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof OutboundHttpError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
