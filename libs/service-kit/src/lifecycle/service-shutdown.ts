import type { Server } from 'node:http';
import { type INestApplication, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ServiceLifecycle } from './service-lifecycle';

export interface ShutdownOptions {
  /** How long in-flight requests may take to finish (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  signals: readonly NodeJS.Signals[];
  /** Leave the process once closed; off in tests, which share their process. */
  exitProcess: boolean;
}

/**
 * Graceful shutdown (P4.3). Nest's own `enableShutdownHooks` runs module destroy hooks before it
 * closes the HTTP server, so requests still running would meet closed pools. This drains first:
 * readiness turns 503, the server stops accepting connections, in-flight requests finish (bounded
 * by the grace period), and only then `app.close()` runs the destroy hooks (consumers commit and
 * stop, Prisma disconnects).
 */
@Injectable()
export class ServiceShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger(ServiceShutdown.name);
  private app?: INestApplication;
  private options: ShutdownOptions = { graceMs: 10_000, signals: [], exitProcess: false };
  private running?: Promise<void>;

  constructor(private readonly lifecycle: ServiceLifecycle) {}

  /** Called by bootstrapService once the app listens. */
  attach(app: INestApplication, options: ShutdownOptions): void {
    this.app = app;
    this.options = options;
    for (const signal of options.signals) process.on(signal, this.onSignal);
  }

  /** Drains and closes the app; later calls return the same promise. */
  shutdown(reason: string): Promise<void> {
    this.running ??= this.drainAndClose(reason);
    return this.running;
  }

  onApplicationShutdown(): void {
    this.stopListening();
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.running && this.options.exitProcess) {
      this.logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    this.shutdown(signal).then(
      () => this.options.exitProcess && process.exit(0),
      (error: unknown) => {
        this.logger.error({ err: error }, 'Shutdown failed');
        if (this.options.exitProcess) process.exit(1);
      },
    );
  };

  private async drainAndClose(reason: string): Promise<void> {
    const app = this.app;
    if (!app) throw new Error('ServiceShutdown.attach() was not called');
    const { graceMs } = this.options;
    this.logger.log(
      `${reason}: shutting down, ${this.lifecycle.requestsInFlight} request(s) in flight, waiting up to ${graceMs} ms`,
    );
    this.lifecycle.beginShutdown();

    const server = app.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (!(await this.lifecycle.waitForIdle(graceMs))) {
      this.logger.warn(`${this.lifecycle.requestsInFlight} request(s) still running after ${graceMs} ms: cutting them off`);
    }
    server.closeAllConnections();
    await closed;

    await app.close();
    this.logger.log('shutdown complete');
  }

  private stopListening(): void {
    for (const signal of this.options.signals) process.removeListener(signal, this.onSignal);
  }
}
