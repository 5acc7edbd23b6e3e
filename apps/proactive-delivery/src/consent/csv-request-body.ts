import { STATUS_CODES } from 'node:http';
import { HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { text } from 'express';

export const CSV_CONTENT_TYPE = 'text/csv';

/** The import's own body limit: 50 000 rows with reasons and expiry dates fit; the service-wide limit is far smaller. */
export const CSV_IMPORT_BODY_LIMIT = '5mb';

const readCsv = text({ type: CSV_CONTENT_TYPE, limit: CSV_IMPORT_BODY_LIMIT, defaultCharset: 'utf-8' });

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message: string;
}

/**
 * Reads a text/csv body inside the handler, after the guards: the service's global parsers only
 * take JSON and forms (HTTP_BODY_LIMIT), so this stream is still unread, and an unauthenticated
 * client never gets 5 MB read. Decodes the declared charset (UTF-8 by default) and gzip/deflate.
 */
export function readCsvRequestBody(req: Request): Promise<string> {
  // Another parser may have read it already (e.g. a future global text/csv parser).
  if (typeof req.body === 'string') return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    readCsv(req, {} as Response, (error?: unknown) => {
      if (error) reject(toHttpException(error));
      else resolve(typeof req.body === 'string' ? req.body : '');
    });
  });
}

function toHttpException(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { type, status, expose } = error as BodyParserError;
  if (type === 'entity.too.large') {
    return new PayloadTooLargeException(`The CSV is larger than the ${CSV_IMPORT_BODY_LIMIT.toUpperCase()} an import may be; split it into several imports`);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpException(expose ? error.message : (STATUS_CODES[status] ?? 'Bad request'), status);
  }
  return error;
}
