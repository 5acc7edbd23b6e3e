import { Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { type StartedKitService, startKitService } from '../test-support/start-kit-service';

@Module({})
class EmptyModule {}

describe('bootstrapService', () => {
  let service: StartedKitService;

  beforeAll(async () => {
    service = await startKitService(EmptyModule, { AUTH_AUDIENCE: 'api://kit-test' });
  });
  afterAll(async () => {
    await service.app.close();
  });

  it('P4.1 logs one JSON line saying where it listens', () => {
    const port = new URL(service.baseUrl).port;
    const listening = service.logs.filter((line) => String(line.msg).includes(' listening on '));

    expect(listening).toEqual([
      expect.objectContaining({ level: 'info', service: 'kit-test', msg: `kit-test listening on http://127.0.0.1:${port}` }),
    ]);
  });

  it('P4.2 gives modules the validated configuration, as an object and through ServiceConfig', () => {
    expect(service.app.get(SERVICE_CONFIG)).toMatchObject({ AUTH_AUDIENCE: 'api://kit-test', KAFKA_BROKERS: ['127.0.0.1:9'] });
    expect(Object.isFrozen(service.app.get(SERVICE_CONFIG))).toBe(true);
    const config = service.app.get<ServiceConfig, ServiceConfig>(ServiceConfig);
    expect(config.get('AUTH_AUDIENCE')).toBe('api://kit-test');
  });

  it('does not advertise the framework', async () => {
    const response = await fetch(`${service.baseUrl}/health/live`);

    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
