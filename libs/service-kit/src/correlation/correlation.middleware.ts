import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CORRELATION_ID_HEADER,
  type CorrelationContext,
  REQUEST_ID_HEADER,
  runWithCorrelation,
} from './correlation-context';

// Ids from callers end up in logs and headers: accept only short, plain tokens.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const correlationOfRequest = new WeakMap<IncomingMessage, CorrelationContext>();

/** The ids assigned to a request by `correlationMiddleware`. */
export function correlationOf(req: IncomingMessage): CorrelationContext | undefined {
  return correlationOfRequest.get(req);
}

/**
 * Takes the request id from `X-Request-Id` (or makes one) and the correlation id from
 * `X-Correlation-Id` (or reuses the request id), echoes both as response headers, and runs the
 * rest of the request inside that correlation context.
 */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const requestId = acceptableId(req.headers['x-request-id']) ?? randomUUID();
  const correlationId = acceptableId(req.headers['x-correlation-id']) ?? requestId;
  const context: CorrelationContext = { requestId, correlationId };

  correlationOfRequest.set(req, context);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.setHeader(CORRELATION_ID_HEADER, correlationId);
  runWithCorrelation(context, next);
}

function acceptableId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : undefined;
}
