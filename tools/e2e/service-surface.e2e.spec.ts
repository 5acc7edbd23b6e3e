import { spawnSync } from 'node:child_process';
import { Role } from '@switchboard/auth';
import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntryPoint } from '../stack/service-process';
import { ServiceName, SERVICES } from '../stack/services';
import { pagedListPaths, requestBodyGaps, type OpenApiDocument } from './support/openapi-walk';
import { startTestStack, TestStack } from './support/test-stack';

const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
/** What z.coerce.number() took for 16, 10 and 5: hex, an exponent, a space (URL-encoded) before the digits. */
const HOSTILE_LIMITS = ['0x10', '1e1', '%205'];
/** Lists without paging take no parameters at all, so a limit is refused there too (as unknown). */
const UNPAGED_LISTS: { service: ServiceName; path: string }[] = [{ service: 'proactive-delivery', path: '/proactive/configurations' }];
/** Lists that need a query parameter besides the paging ones: a valid value, so that only the limit is wrong. */
const REQUIRED_QUERY: Record<string, string> = { 'outbound-messaging /outbound/timeline': 'tocontactid=%2B14155552671&' };
/** Lists under a resource (`/outbound/rules/{id}/firings`) are asked about a resource that does not exist: a taken limit then answers 404. */
const UNKNOWN_ID = 'dddddddd-0000-4000-8000-00000000000d';
const withUnknownIds = (path: string) => path.replace(/\{[^}]+\}/g, UNKNOWN_ID);

/** What every service offers operators (P4.1) and how it refuses bad configuration (P4.2). */
describe('every service: health, metrics, OpenAPI, API page, configuration check (P4.1, P4.2)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack(SERVICES.map((s) => s.name));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(SERVICES.map((s) => s.name))('%s answers /health/live, /health/ready, /metrics, /openapi.json and /docs', async (name) => {
    const url = stack.url(name);
    expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', kafka: 'ok' } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    const openApi = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string; info: { title: string } };
    expect(openApi.openapi).toMatch(/^3\./);
    expect(openApi.info.title).toContain(name);
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  const openApiOf = async (name: ServiceName) => (await (await fetch(`${stack.url(name)}/openapi.json`)).json()) as OpenApiDocument;

  it('P2.1 every POST, PUT and PATCH of every service documents its request body with a schema and an example', async () => {
    const walks = await Promise.all(SERVICES.map(async ({ name }) => ({ name, ...requestBodyGaps(await openApiOf(name)) })));
    expect(walks.flatMap(({ name, gaps }) => gaps.map((gap) => `${name}: ${gap}`))).toEqual([]);
    // Ten today (proactive-delivery 8, event-bridge 2): the walk saw them all.
    expect(walks.flatMap(({ operations }) => operations).length).toBeGreaterThanOrEqual(10);
  });

  it('P2.1 a limit of 0x10, 1e1 or %205 is a 400 naming limit on every list of every service; 5 is taken', async () => {
    const authorization = `Bearer ${await stack.token(TENANT, [Role.Administrator])}`;
    const paged = (await Promise.all(SERVICES.map(async ({ name }) => pagedListPaths(await openApiOf(name)).map((path) => ({ service: name, path }))))).flat();
    expect(paged.map(({ service, path }) => `${service} ${path}`)).toEqual(
      expect.arrayContaining(['proactive-delivery /proactive/deliveries', 'proactive-delivery /proactive/do-not-call', 'crm-sync /agent-events']),
    );
    const ask = async ({ service, path }: { service: ServiceName; path: string }, limit: string) => {
      const response = await fetch(`${stack.url(service)}${withUnknownIds(path)}?${REQUIRED_QUERY[`${service} ${path}`] ?? ''}limit=${limit}`, { headers: { authorization } });
      const body = (await response.json()) as { error?: { details?: { field: string }[] } };
      return { request: `${service} ${path}?limit=${limit}`, status: response.status, fields: body.error?.details?.map((detail) => detail.field) };
    };

    const refused = await Promise.all([...paged, ...UNPAGED_LISTS].flatMap((list) => HOSTILE_LIMITS.map((limit) => ask(list, limit))));
    expect(refused).toEqual(refused.map((answer) => ({ ...answer, status: 400, fields: ['limit'] })));
    const taken = await Promise.all(paged.map((list) => ask(list, '5')));
    expect(taken).toEqual(taken.map((answer) => ({ ...answer, status: answer.request.includes('{') ? 404 : 200 })));
  });

  it("EB3.3 event-bridge's build ships the files its pages serve: the agent-bridge script and the demo desktop", async () => {
    for (const path of ['/sdk/agent-bridge.js', '/demo/agent-desktop', '/demo/adapter-simulator', '/demo/assets/agent-desktop.js']) {
      const response = await fetch(`${stack.url('event-bridge')}${path}`);
      expect(response.status, path).toBe(200);
      expect((await response.text()).length, path).toBeGreaterThan(0);
    }
  });

  it('echoes request and correlation ids', async () => {
    const response = await fetch(`${stack.url('crm-sync')}/health/live`, { headers: { 'x-correlation-id': 'corr-123' } });
    expect(response.headers.get('x-correlation-id')).toBe('corr-123');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it.each(SERVICES.map((s) => s.name))('%s refuses to start with one clear line per missing or invalid variable', (name) => {
    const result = spawnSync(process.execPath, [builtEntryPoint(findWorkspaceRoot(), name)], {
      env: { PATH: process.env['PATH'], PORT: 'eighty', KAFKA_BROKERS: '', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^config: PORT must be an integer/m);
    expect(result.stderr).toMatch(/^config: KAFKA_BROKERS /m);
    expect(result.stderr).toMatch(/^config: LOG_LEVEL /m);
  });
});
