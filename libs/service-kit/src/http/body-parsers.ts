import { STATUS_CODES } from 'node:http';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { describeJsonSyntaxError } from './json-syntax-error';

// CloudEvents and similar webhooks arrive as application/<something>+json.
const JSON_CONTENT_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON and form bodies up to `limit`, raw bytes kept on `req.rawBody` (the app is created with
 * `rawBody: true`) for HMAC checks, and parser failures turned into HttpExceptions so the global
 * filter answers them in the one error shape.
 */
export function useBodyParsers(app: NestExpressApplication, limit: string): void {
  app.useBodyParser('json', { limit, type: JSON_CONTENT_TYPES });
  app.useBodyParser('urlencoded', { limit, extended: true });
  app.use(translateBodyParserErrors);
}

interface BodyParserError {
  type: string;
  status: number;
  message: string;
  expose?: boolean;
  body?: string;
  limit?: number;
}

function translateBodyParserErrors(error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void): void {
  next(bodyParserErrorToHttpException(error));
}

/** Other errors pass through unchanged. */
export function bodyParserErrorToHttpException(error: unknown): unknown {
  if (!isBodyParserError(error)) return error;
  switch (error.type) {
    case 'entity.parse.failed':
      return new BadRequestException(
        error.body === undefined ? error.message : describeJsonSyntaxError(error.body, error.message),
      );
    case 'entity.too.large':
      return new PayloadTooLargeException(`Request body is larger than the ${error.limit ?? ''} bytes allowed`);
    default:
      // body-parser marks messages safe for clients with `expose`.
      return new HttpException(error.expose ? error.message : (STATUS_CODES[error.status] ?? 'Error'), error.status);
  }
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (typeof error !== 'object' || error === null) return false;
  const { type, status } = error as Partial<BodyParserError>;
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 600;
}
