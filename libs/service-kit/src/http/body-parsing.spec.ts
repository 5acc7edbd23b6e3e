import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { useKitService } from '../test-support/start-kit-service';
import { AcceptsBodies, StreamedBody } from './other-bodies';

/** What reached a handler: nothing may, for any refused request. */
const handled: unknown[] = [];

@Controller('probe')
class ProbeController {
  @Post('echo')
  echo(@Body() body: unknown) {
    handled.push(body);
    return { received: body };
  }

  @Get('items/:id')
  item(@Param('id') id: string, @Query() query: unknown) {
    handled.push({ id, query });
    return { id, query };
  }

  @Post('import')
  @AcceptsBodies({ contentTypes: ['text/csv'], limit: '2kb', refusal: 'Send text/csv' })
  async import(@Body() body: unknown) {
    handled.push(body);
    return body instanceof StreamedBody ? { csv: await body.text() } : { json: body };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

interface ErrorAnswer {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

describe('request bodies and parameters, checked by the platform before any handler (P2.1, P2.3)', () => {
  const service = useKitService(ProbeModule, { HTTP_BODY_LIMIT: '1kb' });
  beforeEach(() => {
    handled.length = 0;
  });

  function post(path: string, body: string, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    return fetch(`${service.baseUrl}${path}`, { method: 'POST', headers, body: new TextEncoder().encode(body) });
  }

  async function refusal(response: Response, status: number): Promise<ErrorAnswer['error']> {
    expect(response.status).toBe(status);
    expect(handled).toEqual([]);
    return ((await response.json()) as ErrorAnswer).error;
  }

  it.each([
    ['application/x-www-form-urlencoded', 'ApiVersion=1.0&ContactId=x', 'application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--', 'multipart/form-data'],
    ['text/plain', '{"a":1}', 'text/plain'],
    [undefined, '{"a":1}', 'no Content-Type'],
  ])('P2.1 a JSON route answers %s with 415 naming what was sent', async (contentType, body, named) => {
    const error = await refusal(await post('/probe/echo', body, contentType), 415);

    expect(error).toEqual({ code: 'UnsupportedMediaType', message: `The request body must be JSON (Content-Type: application/json); got ${named}` });
  });

  it('P2.2 an unknown route answers 404, not 415, to a body of another type', async () => {
    const response = await post('/nowhere', 'x=1', 'text/plain');

    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe('NotFound');
  });

  it('P2.1 application/<something>+json is JSON, and the raw bytes are kept', async () => {
    const response = await post('/probe/echo', '{"specversion":"1.0"}', 'application/cloudevents+json; charset=utf-8');

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { specversion: '1.0' } });
  });

  it('P2.1 JSON in another charset or encoding → 415', async () => {
    expect((await refusal(await post('/probe/echo', '{}', 'application/json; charset=latin1'), 415)).message).toBe('unsupported charset "LATIN1"');
    const gzip = await fetch(`${service.baseUrl}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{}' });
    expect((await refusal(gzip, 415)).message).toBe('unsupported content encoding "gzip"');
  });

  it('P2.1 a NUL character in any string or key → 400 naming the field', async () => {
    const error = await refusal(await post('/probe/echo', '{"name":"ok","notes":["fine","bad\\u0000"]}', 'application/json'), 400);

    expect(error.details).toEqual([{ field: 'notes[1]', message: 'must not contain NUL characters (\\u0000)' }]);
  });

  it('P2.1 a lone surrogate (which jsonb cannot store) → 400 naming the field', async () => {
    const error = await refusal(await post('/probe/echo', '{"data":{"text":"\\ud800"}}', 'application/json'), 400);

    expect(error.details).toEqual([{ field: 'data.text', message: 'must not contain unpaired UTF-16 surrogates' }]);
  });

  it('P2.1 __proto__, constructor and prototype keys → 400, never silently dropped', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype', '\\u005f_proto__']) {
      handled.length = 0;
      const error = await refusal(await post('/probe/echo', `{"attributes":{"${key}":{"isAdmin":true}}}`, 'application/json'), 400);
      expect(error.details?.[0]?.field).toBe('attributes');
      expect(error.details?.[0]?.message).toMatch(/^must not use the reserved key "(__proto__|constructor|prototype)"$/);
    }
  });

  it('P2.3 nesting up to HTTP_JSON_MAX_DEPTH (64) passes; deeper → 400 naming the top-level field', async () => {
    const nested = (depth: number) => `{"data":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect((await post('/probe/echo', nested(64), 'application/json')).status).toBe(201);
    handled.length = 0;

    const error = await refusal(await post('/probe/echo', nested(65), 'application/json'), 400);

    expect(error.details).toEqual([{ field: 'data', message: 'must not be nested more than 64 levels deep' }]);
  });

  it('P2.3 1 000 levels (all the size limit allows) → 400, and the service keeps answering', async () => {
    const error = await refusal(await post('/probe/echo', '['.repeat(1000), 'application/json'), 400);

    expect(error.details?.[0]?.field).toBe('(root)');
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
  });

  it('P2.1 NUL in a query or path parameter → 400 naming the parameter', async () => {
    const inQuery = await refusal(await fetch(`${service.baseUrl}/probe/items/7?q=a%00b`), 400);
    expect(inQuery.details).toEqual([{ field: 'q', message: 'must not contain NUL characters (\\u0000)' }]);

    const inPath = await refusal(await fetch(`${service.baseUrl}/probe/items/x%00y`), 400);
    expect(inPath.details).toEqual([{ field: 'id', message: 'must not contain NUL characters (\\u0000)' }]);

    const reserved = await refusal(await fetch(`${service.baseUrl}/probe/items/7?__proto__=1`), 400);
    expect(reserved.details).toEqual([{ field: '__proto__', message: '"__proto__" is a reserved name' }]);
  });

  it('P2.1 an overlong path parameter still reaches its route (where validation names it), not a 404', async () => {
    const response = await fetch(`${service.baseUrl}/probe/items/${'9'.repeat(500)}`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toHaveLength(500);
  });

  it('P2.1 ordinary escapes and parameters pass untouched', async () => {
    const response = await fetch(`${service.baseUrl}/probe/items/caf%C3%A9?q=50%25`);

    expect(await response.json()).toEqual({ id: 'café', query: { q: '50%' } });
  });

  it('P2.3 a body over HTTP_BODY_LIMIT → 413, and the connection is closed after the answer', async () => {
    const response = await post('/probe/echo', JSON.stringify({ text: 'x'.repeat(2_000) }), 'application/json');

    expect(await refusal(response, 413)).toEqual({ code: 'PayloadTooLarge', message: 'Request body is larger than the 1024 bytes allowed' });
    expect(response.headers.get('connection')).toBe('close');
  });

  it('P2.1 a route that opts into text/csv gets it unread, within its own limit; other types still 415', async () => {
    const csv = await post('/probe/import', 'phoneNumber\n+12125550123\n'.repeat(50), 'text/csv');
    expect(csv.status).toBe(201);
    expect(((await csv.json()) as { csv: string }).csv).toHaveLength(25 * 50);
    expect(handled[0]).toBeInstanceOf(StreamedBody);
    handled.length = 0;

    const json = await post('/probe/import', '{"entries":[]}', 'application/json');
    expect(await json.json()).toEqual({ json: { entries: [] } });
    handled.length = 0;

    const other = await refusal(await post('/probe/import', 'x', 'text/plain'), 415);
    expect(other.message).toBe('Send text/csv; got text/plain');
    const charset = await refusal(await post('/probe/import', 'x', 'text/csv; charset=klingon'), 415);
    expect(charset.message).toBe('unsupported charset "KLINGON"');
  });

  it('P2.3 an opted-in body over its route limit → 413 when the handler reads it', async () => {
    const response = await post('/probe/import', 'x'.repeat(3_000), 'text/csv');

    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorAnswer).error.message).toBe('Request body is larger than the 2048 bytes allowed');
  });
});
