import { findOutboundError, type OutboundResponse } from '@switchboard/outbound-http';
import { DataDipFailure } from './data-dip-failure';

/** An outbound call's failure (timeout, refused address or redirect, oversized answer, network) as a data-dip failure. */
export function dataDipFailureOf(error: unknown, what: string): unknown {
  if (error instanceof DataDipFailure) return error;
  const outbound = findOutboundError(error);
  if (!outbound) return error;
  return new DataDipFailure(outbound.kind === 'timeout' ? 'crm_timeout' : 'crm_error', `${what}: ${outbound.message}`);
}

/** 429 → crm_throttled with Retry-After (seconds or an HTTP date); any other non-2xx → crm_error. */
export function dataDipFailureOfStatus(response: OutboundResponse, what: string): DataDipFailure {
  if (response.status === 429) return new DataDipFailure('crm_throttled', `${what} answered 429`, retryAfterSecondsOf(response.headers['retry-after']));
  return new DataDipFailure('crm_error', `${what} answered ${response.status}${errorCodeOf(response)}`);
}

function retryAfterSecondsOf(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && /^\d+$/.test(value.trim())) return Number(value.trim());
  const date = value ? Date.parse(value) : NaN;
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : 1;
}

/** The error code of an OData or Entra error body (never its full text: it may echo input). */
function errorCodeOf(response: OutboundResponse): string {
  try {
    const body = response.json<{ error?: string | { code?: string } }>();
    const code = typeof body.error === 'string' ? body.error : body.error?.code;
    return code ? ` (${code})` : '';
  } catch {
    return '';
  }
}
