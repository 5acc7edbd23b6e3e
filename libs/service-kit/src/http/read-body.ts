import type { Readable } from 'node:stream';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';

/** A body over its limit; `limit` in bytes, so a route can word its own 413. */
export class BodyTooLarge extends PayloadTooLargeException {
  constructor(readonly limit: number) {
    super(`Request body is larger than the ${limit} bytes allowed`);
  }
}

/**
 * Reads a request body into memory, refusing (BodyTooLarge) as soon as it passes `limit` bytes,
 * without reading on: a declared Content-Length over the limit is refused before any byte is read.
 */
export function readBody(payload: Readable, contentLength: string | undefined, limit: number): Promise<Buffer> {
  const declared = contentLength === undefined ? undefined : Number(contentLength);
  if (declared !== undefined && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error?: unknown) => {
      payload.off('data', onData).off('end', onEnd).off('error', stop);
      if (error !== undefined) reject(error instanceof BodyTooLarge ? error : new BadRequestException('The request body could not be read'));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) stop(new BodyTooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      if (declared !== undefined && declared !== received) {
        reject(new BadRequestException('The request body is shorter or longer than its Content-Length'));
      } else {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
      }
    };
    payload.on('data', onData).on('end', onEnd).on('error', stop);
    payload.resume();
  });
}

/**
 * A request body as a stream of chunks, for bodies too large to hold (uploaded files): the same
 * refusals as readBody (over the limit, declared or actual; shorter or longer than Content-Length),
 * thrown from the iteration as soon as they are known.
 */
export async function* streamBody(payload: Readable, contentLength: string | undefined, limit: number): AsyncGenerator<Buffer> {
  const declared = contentLength === undefined ? undefined : Number(contentLength);
  if (declared !== undefined && declared > limit) throw new BodyTooLarge(limit);
  let received = 0;
  try {
    for await (const chunk of payload) {
      received += (chunk as Buffer).length;
      if (received > limit) throw new BodyTooLarge(limit);
      yield chunk as Buffer;
    }
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    throw new BadRequestException('The request body could not be read');
  }
  if (declared !== undefined && declared !== received) throw new BadRequestException('The request body is shorter or longer than its Content-Length');
}
