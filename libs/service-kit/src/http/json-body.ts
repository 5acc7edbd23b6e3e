import type { Readable } from 'node:stream';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationFailed } from '../errors/validation-failed';
import { mediaTypeOf, refuseContentEncoding } from './content-type';
import { findUnsafeJsonContent, scanJsonDepth } from './json-guard';
import { describeJsonSyntaxError, lineAndColumn } from './json-syntax-error';
import { readBody } from './read-body';

export interface JsonBodyLimits {
  /** Bytes. */
  limit: number;
  /** Nesting levels of objects and arrays. */
  maxDepth: number;
}

/** A request whose JSON body was parsed by the platform: the exact bytes stay for HMAC checks (P1.4). */
export type RequestWithRawBody = FastifyRequest & { rawBody?: Buffer };

/**
 * The platform's JSON body parser (Fastify content-type parser): UTF-8 only, identity encoding
 * only, at most `limit` bytes, and the checks of `parseJsonBody`. The bytes are kept on
 * `request.rawBody`.
 */
export function jsonBodyParser(limits: JsonBodyLimits) {
  return async (request: RequestWithRawBody, payload: Readable): Promise<unknown> => {
    const { charset } = mediaTypeOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeException(`unsupported charset "${charset.toUpperCase()}"`);
    }
    refuseContentEncoding(request.headers['content-encoding']);
    const raw = await readBody(payload, request.headers['content-length'], limits.limit);
    request.rawBody = raw;
    return parseJsonBody(raw.toString('utf8'), limits.maxDepth);
  };
}

/**
 * JSON text → value, refusing with a 400 before anything reaches a handler: malformed JSON (line
 * and column), a top level other than an object or array, nesting deeper than `maxDepth` (checked
 * on the text, before parsing), and strings or keys Postgres cannot store or that name prototypes.
 * An empty body reads as `{}`, so validation names the missing fields.
 */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  const start = firstNonWhitespace(text);
  if (start === text.length) return {};
  if (text[start] !== '{' && text[start] !== '[') {
    const { line, column } = lineAndColumn(text, start);
    throw new BadRequestException(`Malformed JSON at line ${line}, column ${column}: the body must be a JSON object or array`);
  }
  const scan = scanJsonDepth(text, maxDepth);
  if (scan.tooDeep) {
    throw new ValidationFailed([{ field: scan.field ?? '(root)', message: `must not be nested more than ${maxDepth} levels deep` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(start === 0 ? text : text.slice(start));
  } catch (error) {
    throw new BadRequestException(describeJsonSyntaxError(text, adjustPosition((error as Error).message, start)));
  }
  if (scan.needsContentCheck) {
    const problems = findUnsafeJsonContent(value);
    if (problems.length > 0) throw new ValidationFailed(problems);
  }
  return value;
}

// A UTF-8 byte order mark is skipped like whitespace.
function firstNonWhitespace(text: string): number {
  let i = 0;
  while (i < text.length && ' \t\n\r\ufeff'.includes(text[i] as string)) i++;
  return i;
}

// V8 counts positions in the text it was given; the skipped prefix is added back.
function adjustPosition(message: string, offset: number): string {
  if (offset === 0) return message;
  return message.replace(/at position (\d+)/, (_match, position: string) => `at position ${Number(position) + offset}`);
}
