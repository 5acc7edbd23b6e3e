import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_ID_HEADER, type CorrelationContext, REQUEST_ID_HEADER } from './correlation-context';

// Ids from callers end up in logs and headers: accept only short, plain tokens.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const correlationOfRequest = new WeakMap<FastifyRequest, CorrelationContext>();

/** Fastify's `genReqId`: the caller's `X-Request-Id` when acceptable, else a new UUID. */
export function requestIdFor(req: Pick<IncomingMessage, 'headers'>): string {
  return acceptableId(req.headers['x-request-id']) ?? randomUUID();
}

/**
 * The request's ids: the request id (Fastify's `request.id`) and the correlation id from
 * `X-Correlation-Id` (or the request id), both echoed as response headers.
 */
export function correlate(request: FastifyRequest, reply: FastifyReply): CorrelationContext {
  const correlationId = acceptableId(request.headers['x-correlation-id']) ?? request.id;
  const context: CorrelationContext = { requestId: request.id, correlationId };
  correlationOfRequest.set(request, context);
  reply.header(REQUEST_ID_HEADER, context.requestId);
  reply.header(CORRELATION_ID_HEADER, correlationId);
  return context;
}

/** The ids `correlate` assigned to a request. */
export function correlationOf(request: FastifyRequest): CorrelationContext | undefined {
  return correlationOfRequest.get(request);
}

function acceptableId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : undefined;
}
