import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonMediaType, mediaTypeOf } from './content-type';
import { type JsonBodyLimits, jsonBodyParser } from './json-body';
import { otherBodyParser } from './other-bodies';

/**
 * The one place request bodies are read (every service inherits it): JSON (`application/json`,
 * `application/*+json`) within the limits, the content types a route opts into with
 * @AcceptsBodies, and 415 for everything else.
 */
export function useBodyParsers(fastify: FastifyInstance, limits: JsonBodyLimits): void {
  const json = jsonBodyParser(limits);
  const other = otherBodyParser();
  fastify.removeAllContentTypeParsers();
  // An unknown route answers 404 whatever its body: it is not read.
  fastify.addContentTypeParser('application/json', (request: FastifyRequest, payload: Readable) =>
    request.is404 ? Promise.resolve(undefined) : json(request, payload),
  );
  // Everything else, including a body without Content-Type, lands here.
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable) => {
    if (request.is404) return Promise.resolve(undefined);
    return isJsonMediaType(mediaTypeOf(request.headers['content-type']).type) ? json(request, payload) : other(request, payload);
  });
}
