import { Injectable, Module } from '@nestjs/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import { useKitService } from '../test-support/start-kit-service';
import { ReadinessRegistry } from './readiness-registry';

/** Stands in for the persistence and messaging modules, which register real checks. */
@Injectable()
class FakeDependencies {
  dbError: Error | undefined;
  kafkaHangs = false;

  constructor(readiness: ReadinessRegistry) {
    readiness.register('db', async () => {
      if (this.dbError) throw this.dbError;
    });
    readiness.register('kafka', () => (this.kafkaHangs ? new Promise<void>(() => undefined) : Promise.resolve()), {
      timeoutMs: 50,
    });
  }
}

@Module({ providers: [FakeDependencies] })
class HealthTestModule {}

describe('health probes', () => {
  const service = useKitService(HealthTestModule);
  let dependencies: FakeDependencies;

  beforeAll(() => {
    dependencies = service.app.get(FakeDependencies);
  });

  async function get(path: string) {
    const response = await fetch(`${service.baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('P4.1 /health/live answers 200 while the process runs', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('P4.1 /health/ready answers 200 when every registered check passes', async () => {
    expect(await get('/health/ready')).toEqual({ status: 200, body: { status: 'ok', checks: { db: 'ok', kafka: 'ok' } } });
  });

  it('P4.1 /health/ready answers 503 with the failing check and its error', async () => {
    dependencies.dbError = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    try {
      expect(await get('/health/ready')).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { db: 'connect ECONNREFUSED 127.0.0.1:5432', kafka: 'ok' } },
      });
    } finally {
      dependencies.dbError = undefined;
    }
  });

  it('P4.1 a check that hangs fails after its timeout', async () => {
    dependencies.kafkaHangs = true;
    try {
      expect(await get('/health/ready')).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { db: 'ok', kafka: 'timed out after 50 ms' } },
      });
    } finally {
      dependencies.kafkaHangs = false;
    }
  });

  it('P4.3 /health/ready answers 503 once shutdown has begun, while liveness stays 200', async () => {
    service.app.get(ServiceLifecycle).beginShutdown();

    expect(await get('/health/ready')).toEqual({ status: 503, body: { status: 'shutting-down', checks: {} } });
    expect((await get('/health/live')).status).toBe(200);
  });
});

describe('ReadinessRegistry', () => {
  it('P4.1 is ready with no checks registered, and refuses a duplicate name', async () => {
    const registry = new ReadinessRegistry();
    expect(await registry.run()).toEqual({ status: 'ok', checks: {} });

    registry.register('db', async () => undefined);
    expect(() => registry.register('db', async () => undefined)).toThrow('readiness check "db" is already registered');
  });
});
