import type { Readable } from 'node:stream';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { byteSize } from '../config/env-schemas';
import { type MediaType, mediaTypeOf, refuseContentEncoding, unsupportedMediaType } from './content-type';
import { readBody, streamBody } from './read-body';

/** What the platform tells a client that sent something other than JSON to a JSON-only route. */
export const JSON_ONLY = 'The request body must be JSON (Content-Type: application/json)';

const ACCEPTED_BODIES = 'switchboardAcceptedBodies';

export interface AcceptedBodies {
  /** Media types besides JSON, lower case: `['text/csv']`. */
  contentTypes: readonly string[];
  /** Such a body may be this large, e.g. '5mb' (JSON keeps HTTP_BODY_LIMIT). */
  limit: string;
  /** Says what to send instead; the platform appends "; got <type>". */
  refusal?: string;
}

/**
 * Lets one route take bodies other than JSON (every other route answers them 415). The body is
 * not read by the platform: the handler gets a StreamedBody as its body and reads it after the
 * guards ran, so an unauthenticated client never gets a large body read.
 */
export function AcceptsBodies(accepted: AcceptedBodies): MethodDecorator {
  return RouteConfig({ [ACCEPTED_BODIES]: { ...accepted, limitBytes: byteSize(accepted.limit) } });
}

type RouteAcceptedBodies = AcceptedBodies & { limitBytes: number };

/** A non-JSON request body, read on demand (once). */
export class StreamedBody {
  private text$?: Promise<string>;

  constructor(
    private readonly payload: Readable,
    readonly mediaType: MediaType,
    private readonly contentLength: string | undefined,
    private readonly decoder: TextDecoder,
    /** Bytes; reading past it fails with BodyTooLarge. */
    readonly limit: number,
  ) {}

  text(): Promise<string> {
    this.text$ ??= readBody(this.payload, this.contentLength, this.limit).then((bytes) => this.decoder.decode(bytes));
    return this.text$;
  }

  /** The body's bytes as they arrive, never held whole (large uploads); read once, instead of text(). */
  chunks(): AsyncGenerator<Buffer> {
    return streamBody(this.payload, this.contentLength, this.limit);
  }
}

/** Fastify's catch-all content-type parser: a StreamedBody for routes that accept the type, else 415. */
export function otherBodyParser() {
  return async (request: FastifyRequest, payload: Readable): Promise<StreamedBody> => {
    const header = request.headers['content-type'];
    const accepted = (request.routeOptions.config as unknown as Record<string, unknown>)[ACCEPTED_BODIES] as RouteAcceptedBodies | undefined;
    const mediaType = mediaTypeOf(header);
    if (!accepted?.contentTypes.includes(mediaType.type)) throw unsupportedMediaType(accepted?.refusal ?? JSON_ONLY, header);
    refuseContentEncoding(request.headers['content-encoding']);
    return new StreamedBody(payload, mediaType, request.headers['content-length'], decoderFor(mediaType.charset), accepted.limitBytes);
  };
}

function decoderFor(charset = 'utf-8'): TextDecoder {
  try {
    return new TextDecoder(charset);
  } catch {
    throw new UnsupportedMediaTypeException(`unsupported charset "${charset.toUpperCase()}"`);
  }
}
