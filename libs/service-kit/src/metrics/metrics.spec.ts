import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { startKitService, useKitService } from '../test-support/start-kit-service';
import { MetricsServer } from './metrics-server';

@Controller('items')
class ItemsController {
  @Get(':id')
  get(@Param('id') id: string) {
    if (id === 'gone') throw new NotFoundException('No such item');
    return { id };
  }
}

@Module({ controllers: [ItemsController] })
class MetricsTestModule {}

describe('/metrics', () => {
  const service = useKitService(MetricsTestModule);

  async function scrape(): Promise<{ contentType: string | null; text: string }> {
    const response = await fetch(`${service.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    return { contentType: response.headers.get('content-type'), text: await response.text() };
  }

  it('P4.1 exposes the HTTP duration histogram labelled by method, route pattern and status', async () => {
    await fetch(`${service.baseUrl}/items/1`);
    await fetch(`${service.baseUrl}/items/2`);
    await fetch(`${service.baseUrl}/items/gone`);
    await fetch(`${service.baseUrl}/items-missing/zzz`);

    const { contentType, text } = await scrape();

    expect(contentType).toContain('text/plain');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/items\/:id",status="200"\} [2-9]/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/items\/:id",status="200"\}/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/items\/:id",status="404"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).not.toContain('zzz');
  });

  it('P4.1 exposes the default process metrics', async () => {
    const { text } = await scrape();

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('/metrics on its own port (METRICS_PORT)', () => {
  const service = useKitService(MetricsTestModule, { METRICS_PORT: 0 });
  let metricsUrl: string;

  beforeAll(() => {
    metricsUrl = `http://127.0.0.1:${service.app.get(MetricsServer).port}/metrics`;
  });

  it('P4.1 serves the scrape on the metrics port and answers 404 for it on the API port', async () => {
    await fetch(`${service.baseUrl}/items/1`);

    const scrape = await fetch(metricsUrl);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/items\/:id",status="200"\} \d/);

    const onApiPort = await fetch(`${service.baseUrl}/metrics`);
    expect(onApiPort.status).toBe(404);
    expect(await onApiPort.json()).toEqual({ error: { code: 'NotFound', message: 'Cannot GET /metrics' } });
  });

  it('P4.1 the metrics port serves nothing else', async () => {
    const response = await fetch(metricsUrl.replace('/metrics', '/health/live'));

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NotFound', message: 'Only GET /metrics is served on this port' } });
  });

  it('P4.3 the metrics port closes with the app', async () => {
    const other = await startKitService(MetricsTestModule, { METRICS_PORT: 0 });
    const port = other.app.get(MetricsServer).port;
    await other.app.close();

    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
