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
  fastify.addContentTypeParser('application/json', json);
  // Everything else, including a body without Content-Type, lands here. JSON is read on every route
  // (an unknown one answers 404 once it arrived); other types only matter where a route takes them.
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable) => {
    if (isJsonMediaType(mediaTypeOf(request.headers['content-type']).type)) return json(request, payload);
    return request.is404 ? Promise.resolve(undefined) : other(request, payload);
  });
}
