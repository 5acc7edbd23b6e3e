import { Injectable, Module } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { baseServiceEnv } from '../config/base-service-env';
import { ServiceConfig, serviceConfigClass } from '../config/service-config';
import { kitTestConfig, startKitService, useKitService } from '../test-support/start-kit-service';
import { bootstrapService } from './bootstrap-service';

@Module({})
class EmptyModule {}

class KitTestConfig extends serviceConfigClass(baseServiceEnv) {}

/** Stands for a service provider that injects the service's configuration class. */
@Injectable()
class NeedsOwnConfig {
  constructor(readonly config: KitTestConfig) {}
}

@Module({ providers: [NeedsOwnConfig] })
class OwnConfigModule {}

describe('bootstrapService', () => {
  const service = useKitService(EmptyModule, { AUTH_AUDIENCE: 'api://kit-test' });

  it('P4.1 logs one JSON line saying where it listens', () => {
    const port = new URL(service.baseUrl).port;
    const listening = service.logs.filter((line) => String(line.msg).includes(' listening on '));

    expect(listening).toEqual([
      expect.objectContaining({ level: 'info', service: 'kit-test', msg: `kit-test listening on http://127.0.0.1:${port}` }),
    ]);
  });

  it('P4.2 gives modules the validated configuration as one frozen ServiceConfig', () => {
    const config = service.app.get(ServiceConfig);

    expect(config).toMatchObject({ AUTH_AUDIENCE: 'api://kit-test', KAFKA_BROKERS: ['127.0.0.1:9'] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('does not advertise the framework', async () => {
    const response = await fetch(`${service.baseUrl}/health/live`);

    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('bootstrapService with a service configuration class (issue 6.7)', () => {
  it('P4.2 binds the service class and ServiceConfig to the same instance', async () => {
    const config = new KitTestConfig(kitTestConfig());
    const { app } = await startKitService(OwnConfigModule, {}, { config });
    try {
      expect(app.get(NeedsOwnConfig).config).toBe(config);
      expect(app.get(ServiceConfig)).toBe(config);
    } finally {
      await app.close();
    }
  });
});

describe('bootstrapService beforeListen', () => {
  it('runs after the app is configured and before it listens', async () => {
    const seen: { listening: boolean; hasRoutes: boolean }[] = [];
    const { app } = await startKitService(EmptyModule, {}, {
      beforeListen: async (created) => {
        await created.init();
        seen.push({ listening: created.getHttpServer().listening, hasRoutes: created.getHttpAdapter().getInstance().hasRoute({ method: 'GET', url: '/health/live' }) });
      },
    });
    try {
      expect(seen).toEqual([{ listening: false, hasRoutes: true }]);
    } finally {
      await app.close();
    }
  });

  it('a failing beforeListen logs one line naming the step, and the start fails without listening', async () => {
    const logs: { msg?: string; level?: string }[] = [];
    const failure = bootstrapService({
      name: 'failing-start',
      module: EmptyModule,
      config: kitTestConfig(),
      openApi: { title: 't', description: 't', version: '1' },
      logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as { msg?: string }) },
      shutdownSignals: [],
      exitProcess: false,
      beforeListen: () => {
        throw new Error('connecting the Kafka microservice failed: broker unreachable');
      },
    });

    await expect(failure).rejects.toThrow('broker unreachable');
    expect(logs.filter((line) => line.level === 'fatal')).toEqual([
      expect.objectContaining({ msg: 'failing-start could not start: beforeListen failed: connecting the Kafka microservice failed: broker unreachable' }),
    ]);
    expect(logs.some((line) => String(line.msg).includes('listening on'))).toBe(false);
  });
});
