import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocumentedApp, startDocumentedApp } from './test-support/documented-app';
import { GuidParam, NoQuery } from './resource-params';

@Controller('things')
class ThingsController {
  @Get()
  list(@NoQuery() _query: object) {
    return { items: [] };
  }

  @Get(':id')
  get(@GuidParam() id: string) {
    return { id };
  }

  @Get(':thingId/parts/:partId')
  part(@GuidParam('thingId') thingId: string, @GuidParam('partId') partId: string) {
    return { thingId, partId };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('resource path and query helpers (P2.1)', () => {
  let served: DocumentedApp;
  beforeAll(async () => (served = await startDocumentedApp(ThingsModule)));
  afterAll(() => served?.app.close());
  const get = (path: string) => fetch(`${served.url}${path}`);

  const details = async (response: Response) => ((await response.json()) as { details: unknown }).details;

  it('P2.1 GuidParam answers with the id lower-cased as ids are stored', async () => {
    const response = await get(`/things/0F8FAD5B-D9CB-469F-A165-70867728950E`);
    expect(await response.json()).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e' });
  });

  it('P2.1 GuidParam refuses a path parameter that is no GUID with a 400 naming that parameter', async () => {
    const refused = await get(`/things/0f8fad5b-d9cb-469f-a165-70867728950e/parts/wheel`);
    expect(refused.status).toBe(400);
    expect(await details(refused)).toEqual([{ field: 'partId', message: 'must be a GUID' }]);
  });

  it('P2.1 NoQuery takes a bare list request and refuses any query parameter, naming it', async () => {
    expect((await get(`/things`)).status).toBe(200);
    const refused = await get(`/things?limit=10`);
    expect(refused.status).toBe(400);
    expect(await details(refused)).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('P4.1 the path parameters stay documented', () => {
    const parameters = (served.document.paths['/things/{thingId}/parts/{partId}']?.get?.parameters ?? []) as { name: string; in: string }[];
    expect(parameters.map(({ name, in: where }) => [name, where])).toEqual([
      ['thingId', 'path'],
      ['partId', 'path'],
    ]);
  });
});
