import { Controller, Get, Module, Post, Put } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOperation, type OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentedApp } from './test-support/documented-app';
import { z } from 'zod';
import { checkDocumentedExamples } from './body-examples';
import { closed } from './closed';
import { queryInteger } from './query-integer';
import { ApiRequestBodies } from './request-body-content';
import { DocumentedBody, EmptyBody, ZodBody } from './zod-body';
import { ZodQuery } from './zod-query';

const templateSchema = closed({
  name: z.string().min(1),
  body: z.string().max(1600).optional(),
  window: closed({ start: z.string(), end: z.string() }).superRefine(() => undefined).nullable().optional(),
});
const listQuery = z.strictObject({
  limit: queryInteger({ min: 1, max: 200 }).default(50),
  status: z.enum(['open', 'closed']).optional().describe('only templates in this state'),
});
const importSchema = closed({ names: z.array(z.string()).min(1) });
const typoSchema = z.object({ count: z.number().int() });

@Controller('templates')
class TemplatesController {
  @Post()
  create(@ZodBody(templateSchema, { example: { name: 'welcome', body: 'Hello' } }) body: z.output<typeof templateSchema>) {
    return { parsed: body };
  }

  @Put('raw')
  replace(@DocumentedBody(templateSchema, { example: { name: 'welcome' }, description: 'parsed by the handler' }) body: unknown) {
    return { raw: body ?? null };
  }

  @Get()
  list(@ZodQuery(listQuery) query: z.output<typeof listQuery>) {
    return query;
  }

  @Post('import')
  @ApiRequestBodies({
    'text/csv': { schema: { type: 'string' }, example: 'name\nwelcome\n' },
    'application/json': { schema: importSchema, example: { names: ['welcome'] } },
  })
  @ApiOperation({ summary: 'Import templates' })
  import() {
    return { imported: true };
  }

  @Put('worded')
  worded(@ZodBody(templateSchema, { example: { name: 'welcome' }, inputLabel: 'The template' }) body: z.output<typeof templateSchema>) {
    return body;
  }

  @Post(':name/archive')
  archive(@EmptyBody() _body: object | undefined) {
    return { archived: true };
  }

  @Put('typo')
  typo(@ZodBody(typoSchema, { example: { count: 1.5 } }) body: unknown) {
    return body;
  }
}

@Module({ controllers: [TemplatesController] })
class TemplatesModule {}

describe('one zod schema validates and documents a request (P2.1, P4.1)', () => {
  let app: NestFastifyApplication;
  let url: string;
  let document: OpenAPIObject;

  beforeAll(async () => {
    ({ app, url, document } = await startDocumentedApp(TemplatesModule));
  });
  afterAll(() => app?.close());

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('P4.1 ZodBody documents the request body schema as clients send it, closed objects closed, with the example', () => {
    const requestBody = document.paths['/templates']?.post?.requestBody as { required: boolean; content: Record<string, { schema: unknown; examples: unknown }> };
    expect(requestBody.required).toBe(true);
    expect(requestBody.content['application/json']).toEqual({
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1 },
          body: { type: 'string', maxLength: 1600 },
          window: {
            nullable: true,
            type: 'object',
            properties: { start: { type: 'string' }, end: { type: 'string' } },
            required: ['start', 'end'],
            additionalProperties: false,
          },
        },
        required: ['name'],
        additionalProperties: false,
      },
      examples: { example: { value: { name: 'welcome', body: 'Hello' } } },
    });
  });

  it('P2.1 ZodBody validates with the same schema: 400 naming each field, the parsed body otherwise', async () => {
    const refused = await send('POST', '/templates', { name: '', colour: 'red' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { details: { field: string }[] }).details.map((detail) => detail.field)).toEqual(['name', 'colour']);

    const accepted = await send('POST', '/templates', { name: 'welcome' });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toEqual({ parsed: { name: 'welcome' } });
  });

  it('P2.1 with an inputLabel the 400 speaks in whole sentences, the label naming the body itself', async () => {
    const unknownField = await send('PUT', '/templates/worded', { name: 'x', Body: 'y' });
    expect(((await unknownField.json()) as { details: unknown }).details).toEqual([
      { field: 'Body', message: 'Body is not a known field (did you mean "body"? Field names are case-sensitive)' },
    ]);
    const notAnObject = await send('PUT', '/templates/worded', [1]);
    expect(((await notAnObject.json()) as { details: unknown }).details).toEqual([{ field: '(root)', message: 'The template must be a JSON object, not an array' }]);
  });

  it('P2.1 EmptyBody takes no body or {}, refuses fields, and documents an optional empty object', async () => {
    expect((await fetch(`${url}/templates/welcome/archive`, { method: 'POST' })).status).toBe(201);
    expect((await send('POST', '/templates/welcome/archive', {})).status).toBe(201);
    const refused = await send('POST', '/templates/welcome/archive', { reason: 'old' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { details: unknown }).details).toEqual([{ field: 'reason', message: 'is not a known field (none are expected)' }]);
    expect(document.paths['/templates/{name}/archive']?.post?.requestBody).toEqual({
      required: false,
      description: 'No input: send no body, or {}',
      content: { 'application/json': { schema: { type: 'object', properties: {}, additionalProperties: false }, examples: { example: { value: {} } } } },
    });
  });

  it('P4.1 DocumentedBody documents the schema but hands the handler the raw body to parse in context', async () => {
    const content = (document.paths['/templates/raw']?.put?.requestBody as { description: string; content: Record<string, { schema: { properties: object }; examples: unknown }> });
    expect(content.description).toBe('parsed by the handler');
    expect(Object.keys(content.content['application/json']?.schema.properties ?? {})).toEqual(['name', 'body', 'window']);
    expect(content.content['application/json']?.examples).toEqual({ example: { value: { name: 'welcome' } } });

    const response = await send('PUT', '/templates/raw', { anything: 1 });
    expect(await response.json()).toEqual({ raw: { anything: 1 } });
  });

  it('P4.1 ZodQuery documents each query parameter: limit as a bounded integer, optional ones not required', () => {
    expect(document.paths['/templates']?.get?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } },
        { name: 'status', in: 'query', required: false, description: 'only templates in this state', schema: { type: 'string', enum: ['open', 'closed'] } },
      ]),
    );
  });

  it('P2.1 ZodQuery validates: a hex limit is a 400 naming limit; a decimal one and the default pass', async () => {
    const refused = await fetch(`${url}/templates?limit=0x10`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { details: unknown }).details).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 200, got "0x10"' }]);
    expect(await (await fetch(`${url}/templates?limit=16`)).json()).toEqual({ limit: 16 });
    expect(await (await fetch(`${url}/templates`)).json()).toEqual({ limit: 50 });
  });

  it('P4.1 ApiRequestBodies documents each media type with its own schema and example, keeping the summary', () => {
    const operation = document.paths['/templates/import']?.post as { summary: string; requestBody: { content: Record<string, { schema: unknown; examples: unknown }> } };
    expect(operation.summary).toBe('Import templates');
    expect(operation.requestBody.content['text/csv']).toEqual({ schema: { type: 'string' }, examples: { example: { value: 'name\nwelcome\n' } } });
    expect(operation.requestBody.content['application/json']?.schema).toMatchObject({ type: 'object', required: ['names'], additionalProperties: false });
  });

  it('P4.1 an example its own schema refuses is reported, with where it is documented (a CSV example has no zod schema to check)', () => {
    expect(checkDocumentedExamples()).toEqual({
      checked: 6,
      invalid: ['TemplatesController.typo: count must be a whole number, not a fractional number'],
    });
  });
});
