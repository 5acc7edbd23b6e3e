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
  private readonly idle = new EventEmitter();

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
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
    if (this.inFlight === 0) this.idle.emit('idle');
  };

  /** Resolves true once no request is in flight, or false when `timeoutMs` passes first. */
  async waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(this.idle, 'idle', { signal: timeout });
      return true;
    } catch (error) {
      if (timeout.aborted) return false;
      throw error;
    }
  }
}
