import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedKitService, startKitService } from '../test-support/start-kit-service';

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
  let service: StartedKitService;

  beforeAll(async () => {
    service = await startKitService(MetricsTestModule);
  });
  afterAll(async () => {
    await service.app.close();
  });

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
