import { describe, expect, it } from 'vitest';
import { pagedListPaths, requestBodyGaps, type OpenApiDocument } from './openapi-walk';

const schema = { type: 'object' };
const document: OpenApiDocument = {
  paths: {
    '/documented': { post: { requestBody: { content: { 'application/json': { schema, examples: { example: { value: {} } } } } } } },
    '/inline-example': { put: { requestBody: { content: { 'application/json': { schema, example: {} } } } } },
    '/bodiless': { post: {}, get: {} },
    '/no-schema/{id}': { patch: { requestBody: { content: { 'application/json': { example: {} } } } } },
    '/no-example': { put: { requestBody: { content: { 'text/csv': { schema } } } } },
    '/paged': { get: { parameters: [{ name: 'limit', in: 'query' }] } },
    '/limit-in-path/{limit}': { get: { parameters: [{ name: 'limit', in: 'path' }] } },
  },
};

describe('the OpenAPI walks of the service-surface test (P2.1, P4.1)', () => {
  it('P2.1 lists every POST, PUT and PATCH, and each one lacking a body, a schema or an example', () => {
    expect(requestBodyGaps(document)).toEqual({
      operations: ['POST /documented', 'PUT /inline-example', 'POST /bodiless', 'PATCH /no-schema/{id}', 'PUT /no-example'],
      gaps: ['POST /bodiless: no request body', 'PATCH /no-schema/{id} (application/json): no schema', 'PUT /no-example (text/csv): no example'],
    });
  });

  it('finds the GET operations with a limit query parameter', () => {
    expect(pagedListPaths(document)).toEqual(['/paged']);
  });
});
