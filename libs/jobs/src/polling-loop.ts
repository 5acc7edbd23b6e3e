export interface PollingLoopLogger {
  warn(message: object): void;
}

/**
 * What a round found. `true`: more is probably waiting (it took a full batch), the next round starts at
 * once. `false`: nothing more, wait the idle interval unless woken. `{ gatherMs }`: some work came in and
 * more is trickling after it, so wait this long (wake-ups do not shorten it: they are what it gathers) and
 * let the next round take it all at once instead of one small round per arrival.
 */
export type RoundOutcome = boolean | { gatherMs: number };

export interface PollingLoopOptions {
  /** Names the loop in its log lines. */
  name: string;
  /** One round of work; what it answers decides when the next one starts (see RoundOutcome). */
  round: () => Promise<RoundOutcome>;
  /** How long to wait after a round that found no more work, unless woken. */
  idleMs: number;
  /**
   * The wait after a failed round: `initialMs` (default idleMs), doubled for each failure in a row up
   * to `maxMs` (default 30 s, never below idleMs). Wake-ups do not shorten it, so a broken database is
   * not hammered once per new message.
   */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * For work that should give way to other work in the process (ServiceLifecycle.giveWayToRequests: HTTP requests
   * first): awaited before each round. Wake-ups do not shorten it; stop() ends it at once.
   */
  giveWay?: () => Promise<unknown>;
  logger: PollingLoopLogger;
}

interface Wait {
  wakeable: boolean;
  end: () => void;
}

/**
 * A background loop that runs rounds of work one after the other: at once while work is waiting,
 * every idle interval otherwise, sooner when woken (new work signalled in this replica), slower after
 * errors. Stopping ends a wait at once and waits for the round in flight, never for a whole interval.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private woken = false;
  private wait?: Wait;
  private failures = 0;

  constructor(private readonly options: PollingLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the rounds (the first one at once); a loop already running is left as it is. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // A restart during a stop begins once the round still in flight has ended: never two at once.
    this.loop = this.loop.then(() => this.run());
  }

  /** New work is waiting: ends an idle wait now, or skips the next one when a round is in flight. */
  wake(): void {
    this.woken = true;
    if (this.wait?.wakeable) this.wait.end();
  }

  /** Starts no more rounds and resolves once the round in flight (if any) has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.wait?.end();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.giveWay();
      if (!this.running) return;
      // A wake-up before this round is served by it; one during it means the round may have missed work.
      this.woken = false;
      let pause: { ms: number; wakeable: boolean };
      try {
        const outcome = await this.options.round();
        this.failures = 0;
        pause = typeof outcome === 'object' ? { ms: outcome.gatherMs, wakeable: false } : { ms: outcome ? 0 : this.options.idleMs, wakeable: true };
      } catch (error) {
        this.failures += 1;
        const ms = this.backoffMs();
        this.options.logger.warn({ msg: `${this.options.name}: round failed; retrying in ${ms} ms`, failuresInARow: this.failures, error: (error as Error).message });
        pause = { ms, wakeable: false };
      }
      if (this.running && pause.ms > 0) await this.pause(pause.ms, pause.wakeable);
    }
  }

  private giveWay(): Promise<void> {
    const giveWay = this.options.giveWay;
    if (!giveWay) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wait: Wait = {
        wakeable: false,
        end: () => {
          if (this.wait === wait) this.wait = undefined;
          resolve();
        },
      };
      this.wait = wait;
      // A failing wait is no reason to skip the work: the round goes ahead.
      giveWay().then(wait.end, wait.end);
    });
  }

  private backoffMs(): number {
    const initial = this.options.backoff?.initialMs ?? this.options.idleMs;
    const max = Math.max(this.options.backoff?.maxMs ?? 30_000, this.options.idleMs);
    return Math.min(max, initial * 2 ** Math.min(this.failures - 1, 30));
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.wait = undefined;
        resolve();
      };
      // Unref'd: a poll never holds a process open on its own; stop() is how the loop ends.
      const timer = setTimeout(end, ms);
      timer.unref?.();
      this.wait = { wakeable, end };
    });
  }
}
