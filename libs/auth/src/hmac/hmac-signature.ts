import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSignatureError } from '../auth-errors';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (P1.4, Stripe-style). */
export const SIGNATURE_HEADER = 'X-Switchboard-Signature';

/** Default replay window: a signature older (or newer) than this many seconds is refused. */
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

export type HmacSecret = string | Buffer;
export type RawBody = string | Buffer | Uint8Array;

/** The header value that signs `rawBody` at `timestamp` (unix seconds; default now). */
export function signBody(
  secret: HmacSecret,
  rawBody: RawBody,
  timestamp: number = nowSec(),
): string {
  if (!Number.isInteger(timestamp) || timestamp < 0)
    throw new Error(`timestamp must be unix seconds, got ${timestamp}.`);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

export interface VerifySignatureInput {
  /** One secret, or several during a rotation (any may match). */
  secret: HmacSecret | readonly HmacSecret[];
  /** The exact bytes received; re-serialized JSON would not match. */
  rawBody: RawBody;
  /** The X-Switchboard-Signature header value as received. */
  header: string | readonly string[] | undefined;
  /** Replay window in seconds; default DEFAULT_SIGNATURE_TOLERANCE_SEC. */
  toleranceSec?: number;
  /** Current unix time in seconds; default now. */
  now?: number;
}

export type SignatureCheck =
  | { valid: true; timestamp: number }
  | { valid: false; reason: InvalidSignatureError['reason'] };

export function verifySignature(input: VerifySignatureInput): SignatureCheck {
  const parsed = parseSignatureHeader(input.header);
  if (!parsed.ok) return { valid: false, reason: parsed.reason };
  const { timestamp, signatures } = parsed;
  const secrets = Array.isArray(input.secret)
    ? input.secret
    : [input.secret as HmacSecret];
  const expected = secrets.map((secret) =>
    Buffer.from(hmacHex(secret, timestamp, input.rawBody), 'hex'),
  );
  // Compare every pair without early exit so timing says nothing about which part matched.
  let matched = false;
  for (const candidate of signatures)
    for (const want of expected)
      matched = timingSafeEqual(candidate, want) || matched;
  if (!matched) return { valid: false, reason: 'mismatch' };
  const tolerance = input.toleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC;
  if (Math.abs((input.now ?? nowSec()) - timestamp) > tolerance)
    return { valid: false, reason: 'stale' };
  return { valid: true, timestamp };
}

/** verifySignature, throwing InvalidSignatureError (401) on failure; returns the signed timestamp. */
export function assertValidSignature(input: VerifySignatureInput): number {
  const check = verifySignature(input);
  if (check.valid) return check.timestamp;
  throw new InvalidSignatureError(
    check.reason,
    SIGNATURE_MESSAGES[check.reason],
  );
}

const SIGNATURE_MESSAGES: Record<InvalidSignatureError['reason'], string> = {
  missing: `The ${SIGNATURE_HEADER} header is required.`,
  malformed: `The ${SIGNATURE_HEADER} header must look like t=<unix seconds>,v1=<hex>.`,
  mismatch: 'The request signature does not match its body.',
  stale: 'The request signature is outside the accepted time window.',
};

type ParsedHeader =
  | { ok: true; timestamp: number; signatures: Buffer[] }
  | { ok: false; reason: 'missing' | 'malformed' };

function parseSignatureHeader(
  header: string | readonly string[] | undefined,
): ParsedHeader {
  const value = Array.isArray(header)
    ? header.join(',')
    : (header as string | undefined);
  if (value === undefined || value.trim() === '')
    return { ok: false, reason: 'missing' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const [key, val = ''] = part.trim().split('=', 2) as [string, string?];
    if (key === 't' && /^\d{1,12}$/.test(val)) timestamp = Number(val);
    // Unknown schemes (v0, future v2) are ignored, as Stripe does; only well-formed v1 counts.
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(val))
      signatures.push(Buffer.from(val, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0)
    return { ok: false, reason: 'malformed' };
  return { ok: true, timestamp, signatures };
}

function hmacHex(
  secret: HmacSecret,
  timestamp: number,
  rawBody: RawBody,
): string {
  if (secret.length === 0) throw new Error('HMAC secret must not be empty.');
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest('hex');
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
