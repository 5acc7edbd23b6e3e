import { Injectable } from '@nestjs/common';

/**
 * Lets the invoke API tell this replica's sender that messages were queued, so they are not left
 * waiting for the next poll. The poll stays the safety net (other replicas, restarts, retries).
 */
@Injectable()
export class SendSignal {
  private listener?: () => void;

  onQueued(listener: () => void): void {
    this.listener = listener;
  }

  queued(): void {
    this.listener?.();
  }
}
