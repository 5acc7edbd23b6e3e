import { Injectable } from '@nestjs/common';

/**
 * Lets the create API tell the dispatcher that a delivery is due now, so an immediate call is not
 * left waiting for the next poll. The poll stays the safety net (other replicas, restarts).
 */
@Injectable()
export class DispatchSignal {
  private listener?: () => void;

  onDue(listener: () => void): void {
    this.listener = listener;
  }

  dueAt(instant: Date): void {
    if (instant.getTime() <= Date.now() + 1_000) this.listener?.();
  }
}
