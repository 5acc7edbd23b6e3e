import { Controller, Get, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { type StartedKitService, startKitService } from '../test-support/start-kit-service';
import { ServiceLifecycle } from './service-lifecycle';
import { ServiceShutdown } from './service-shutdown';

/** What happened, in order: handler completions and module destroy hooks. */
@Injectable()
class Timeline implements OnModuleDestroy {
  readonly events: string[] = [];
  private release: () => void = () => undefined;
  readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  finishSlowRequests(): void {
    this.release();
  }

  onModuleDestroy(): void {
    // Stands in for consumers committing offsets and Prisma disconnecting.
    this.events.push('module destroyed');
  }
}

@Controller('slow')
class SlowController {
  constructor(private readonly timeline: Timeline) {}

  @Get()
  async slow() {
    await this.timeline.released;
    this.timeline.events.push('slow request finished');
    return { done: true };
  }
}

@Module({ controllers: [SlowController], providers: [Timeline] })
class ShutdownTestModule {}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('graceful shutdown', () => {
  let service: StartedKitService | undefined;

  afterEach(async () => {
    // Tests shut the app down themselves; this only cleans up after a failure.
    const lifecycle = service?.app.get(ServiceLifecycle);
    if (service && lifecycle && !lifecycle.isShuttingDown) await service.app.close();
    service = undefined;
  });

  it('P4.3 stops accepting connections, lets in-flight requests finish, then runs destroy hooks', async () => {
    service = await startKitService(ShutdownTestModule);
    const { app, baseUrl } = service;
    const timeline = app.get(Timeline);
    const inFlight = fetch(`${baseUrl}/slow`);
    await until(() => app.get(ServiceLifecycle).requestsInFlight === 1);

    const shutdown = app.get(ServiceShutdown).shutdown('test');
    await until(() => !app.getHttpServer().listening);
    await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
    expect(timeline.events).toEqual([]);

    timeline.finishSlowRequests();
    const response = await inFlight;
    await shutdown;

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    expect(timeline.events).toEqual(['slow request finished', 'module destroyed']);
  });

  it('P4.3 waits no longer than SHUTDOWN_GRACE_MS for a request that never ends', async () => {
    service = await startKitService(ShutdownTestModule, { SHUTDOWN_GRACE_MS: 100 });
    const { app, baseUrl, logs } = service;
    const stuck = fetch(`${baseUrl}/slow`).then(
      () => 'answered',
      () => 'connection cut',
    );
    await until(() => app.get(ServiceLifecycle).requestsInFlight === 1);

    const started = Date.now();
    await app.get(ServiceShutdown).shutdown('test');

    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await stuck).toBe('connection cut');
    expect(app.get(Timeline).events).toEqual(['module destroyed']);
    expect(logs.some((line) => line.msg === '1 request(s) still running after 100 ms: cutting them off')).toBe(true);
  });

  it('P4.3 a termination signal starts the shutdown, and the handlers are removed afterwards', async () => {
    const listenersBefore = process.listenerCount('SIGUSR2');
    service = await startKitService(ShutdownTestModule, {}, { shutdownSignals: ['SIGUSR2'] });
    const { app, logs } = service;
    expect(process.listenerCount('SIGUSR2')).toBe(listenersBefore + 1);

    process.emit('SIGUSR2', 'SIGUSR2');
    await until(() => logs.some((line) => line.msg === 'shutdown complete'));

    expect(app.getHttpServer().listening).toBe(false);
    expect(app.get(Timeline).events).toEqual(['module destroyed']);
    expect(logs.some((line) => String(line.msg).startsWith('SIGUSR2: shutting down'))).toBe(true);
    expect(process.listenerCount('SIGUSR2')).toBe(listenersBefore);
  });
});
