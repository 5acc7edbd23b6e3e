import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TooManyRequests } from '../rate-limit/too-many-requests';
import { loggableUrl } from '../logging/loggable-url';
import { isDatabaseUnavailable } from './database-unavailable';
import { type ErrorBody, type FieldProblem, errorCodeForStatus } from './error-body';
import { ValidationFailed } from './validation-failed';

const GENERIC_SERVER_ERROR = 'An unexpected error occurred.';
const DATABASE_UNAVAILABLE = 'DatabaseUnavailable';
/** Seconds a client should wait before retrying while the database cannot be reached (a restart takes a few). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Answers every failed HTTP request with `{"error":{"code","message","details?"}}` (P2.1, P2.2):
 * HttpExceptions keep their status and message, zod errors become 400 with every field, anything
 * else becomes a generic 500 whose cause is logged but never sent (no internals leak) — except a database
 * that cannot be reached now, which is 503 with Retry-After: the same request may succeed shortly. Failures
 * of the platform itself (body parsing, rate limits, unknown routes) arrive here too.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    // Only HTTP answers have this shape; message handlers keep Nest's own handling.
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.errorResponseFor(exception, request);

    if (reply.sent || reply.raw.headersSent) {
      // Too late to change the status: cut the response short so the client sees a failure.
      reply.raw.destroy();
      return;
    }
    if (exception instanceof TooManyRequests) reply.header('retry-after', String(exception.retryAfterSeconds));
    if (status === HttpStatus.SERVICE_UNAVAILABLE && body.error.code === DATABASE_UNAVAILABLE) reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    // The rest of an oversized body is not worth reading: the connection closes after the answer.
    if (exception instanceof PayloadTooLargeException) reply.header('connection', 'close');
    reply.status(status).send(body);
  }

  private errorResponseFor(exception: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
    if (exception instanceof z.core.$ZodError) {
      return this.errorResponseFor(ValidationFailed.fromZodError(exception as z.ZodError), request);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logFailure(exception, request);
      return { status, body: bodyOfHttpException(exception) };
    }
    this.logFailure(exception, request);
    if (isDatabaseUnavailable(exception)) {
      return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { error: { code: DATABASE_UNAVAILABLE, message: 'The database cannot be reached right now; try again shortly.' } } };
    }
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return { status, body: { error: { code: errorCodeForStatus(status), message: GENERIC_SERVER_ERROR } } };
  }

  private logFailure(exception: unknown, request: FastifyRequest): void {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({ err, method: request.method, url: loggableUrl(request.url) }, 'Request failed');
  }
}

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return { error: { code: errorCodeForStatus(status), message: response } };

  const fields = response as Record<string, unknown>;
  if (isErrorBody(fields)) return fields;
  const code = typeof fields['code'] === 'string' ? fields['code'] : errorCodeForStatus(status);
  const message = messageOf(fields['message']) ?? exception.message;
  const details = Array.isArray(fields['details']) ? (fields['details'] as FieldProblem[]) : undefined;
  return { error: details ? { code, message, details } : { code, message } };
}

// Nest's built-in exceptions may carry a list of messages (e.g. from class-validator).
function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('; ');
  return undefined;
}

function isErrorBody(value: Record<string, unknown>): value is ErrorBody & Record<string, unknown> {
  const error = value['error'];
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as Record<string, unknown>)['code'] === 'string' &&
    typeof (error as Record<string, unknown>)['message'] === 'string'
  );
}
