import { spawnSync } from 'node:child_process';
import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntryPoint } from '../stack/service-process';
import { SERVICES } from '../stack/services';
import { startTestStack, TestStack } from './support/test-stack';

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
