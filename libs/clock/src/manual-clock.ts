import { Clock } from './clock';

/**
 * A Clock that stands still until told to move: tests set the instant, or advance it, instead of
 * waiting for real time to pass. It is a Clock, so it can replace one wherever one is injected.
 */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.current = toMillis(start);
  }

  override now(): Date {
    return new Date(this.current);
  }

  /** Stands at `instant` (earlier or later than now). */
  set(instant: Date | string): void {
    this.current = toMillis(instant);
  }

  /** Moves forward by `milliseconds` (not negative: time does not run backwards by accident). */
  advance(milliseconds: number): Date {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError(`advance() takes a finite, non-negative number of milliseconds, got ${milliseconds}`);
    }
    this.current += milliseconds;
    return this.now();
  }
}

function toMillis(instant: Date | string): number {
  const millis = new Date(instant).getTime();
  if (Number.isNaN(millis)) throw new RangeError(`not an instant: ${String(instant)}`);
  return millis;
}
