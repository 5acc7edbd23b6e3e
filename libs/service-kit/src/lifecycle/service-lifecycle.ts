import { EventEmitter, once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life: taking work, or shutting down (readiness then answers 503
 * and keep-alive connections are closed after their current response). Also counts requests in
 * flight so shutdown can wait for them.
 */
@Injectable()
export class ServiceLifecycle {
  private shuttingDown = false;
  private inFlight = 0;
  private readonly events = new EventEmitter();

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  beginShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.events.emit('shutdown');
  }

  /**
   * Calls `listener` when shutdown begins, before the drain waits for requests in flight: for responses
   * that never end by themselves (event streams), which would otherwise hold the drain for its whole grace.
   */
  onShutdown(listener: () => void): void {
    if (this.shuttingDown) listener();
    else this.events.once('shutdown', listener);
  }

  /** Counts the request answered by `res` until it closes; called first for every request. */
  track(res: ServerResponse): void {
    this.inFlight++;
    // A client that keeps its connection would otherwise hold the server open past the drain.
    if (this.shuttingDown) res.setHeader('Connection', 'close');
    res.once('close', this.requestClosed);
  }

  private readonly requestClosed = (): void => {
    this.inFlight--;
    if (this.inFlight === 0) this.events.emit('idle');
  };

  /**
   * For background loops that should not compete with requests (PollingLoop's giveWay): each round first waits
   * until no request is in flight, at most `maxMs`, so a steady stream of requests still leaves one round per
   * `maxMs`. None (undefined) when `maxMs` is 0.
   */
  giveWayToRequests(maxMs: number): (() => Promise<boolean>) | undefined {
    return maxMs > 0 ? () => this.waitForIdle(maxMs) : undefined;
  }

  /** Resolves true once no request is in flight, or false when `timeoutMs` passes first. */
  async waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(this.events, 'idle', { signal: timeout });
      return true;
    } catch (error) {
      if (timeout.aborted) return false;
      throw error;
    }
  }
}
