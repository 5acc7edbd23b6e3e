import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { AgentStreamRepository } from './agent-stream.repository';

/** How far back a reconnecting page is replayed, and how long entries are kept for it (EB3.1). */
export const STREAM_RETENTION_MS = 15 * 60_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Deletes stream entries older than the replay window, once a minute. Every replica sweeps; the deletes are
 * the same whoever runs them, so no coordination is needed.
 */
@Injectable()
export class AgentStreamRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AgentStreamRetention');
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    private readonly entries: AgentStreamRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Deletes what fell out of the window; returns how many entries. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - STREAM_RETENTION_MS);
    const run = this.entries.deleteOlderThan(cutoff).catch((error: Error) => {
      this.logger.warn({ msg: 'old agent stream entries could not be deleted; next sweep tries again', error: error.message });
      return 0;
    });
    this.sweeping = run;
    return run;
  }
}
