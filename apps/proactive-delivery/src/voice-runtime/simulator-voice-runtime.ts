import { Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { simulatedOutcome } from './simulated-outcome';
import { DialAccepted, DialOutcomeReport, DialOutcomeSink, DialRequest, VoiceRuntimeProvider } from './voice-runtime';

export const SIMULATOR_PROVIDER_NAME = 'simulator';

export interface SimulatorOptions {
  /** How long after a dial its outcome is reported (VOICE_SIMULATOR_OUTCOME_DELAY_MS). */
  outcomeDelayMs: number;
  /** Waits before each further try of a report the sink refused; default 0.5 s, 1 s, 2 s, 4 s. */
  reportRetryDelaysMs?: readonly number[];
  /** Attempts remembered for idempotency; the oldest are forgotten past this, so memory stays bounded. */
  maxRememberedAttempts?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000];
const DEFAULT_MAX_REMEMBERED = 10_000;

/**
 * A voice runtime for local runs and tests (PD4.3): answers every dial at once and reports a
 * deterministic outcome (see `simulatedOutcome`) through the sink after the configured delay.
 * Idempotent on attemptId: a re-sent dial gets the same providerCallId and is neither dialed nor
 * reported again. Its timers never keep the process alive and are cleared on module destroy.
 */
export class SimulatorVoiceRuntime implements VoiceRuntimeProvider, OnModuleDestroy {
  readonly name = SIMULATOR_PROVIDER_NAME;
  private readonly logger = new Logger(SimulatorVoiceRuntime.name);
  private readonly accepted = new Map<string, DialAccepted>();
  private readonly dialLog: DialRequest[] = [];
  /** Armed timers and how to wake their sleeper early (with false) on module destroy. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly sink: DialOutcomeSink,
    private readonly options: SimulatorOptions,
  ) {}

  async dial(request: DialRequest): Promise<DialAccepted> {
    const known = this.accepted.get(request.attemptId);
    if (known) return known;
    if (this.stopped) throw new Error('The voice simulator is shutting down');
    // Decided before anything is remembered, so a refused script leaves no trace.
    const outcome = simulatedOutcome(request);
    const accepted: DialAccepted = { providerCallId: `sim-${randomUUID()}` };
    this.remember(request, accepted);
    this.track(this.reportLater({ attemptId: request.attemptId, outcome, providerCallId: accepted.providerCallId }));
    return accepted;
  }

  /** Every real dial so far (re-sent ones excluded), oldest first. */
  dials(): DialRequest[] {
    return this.dialLog.map((request) => ({ ...request, inputAttributes: { ...request.inputAttributes } }));
  }

  /** Resolves once every outcome scheduled so far has been reported, or given up on. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const [timer, wakeEarly] of this.timers) {
      clearTimeout(timer);
      wakeEarly();
    }
    this.timers.clear();
  }

  private remember(request: DialRequest, accepted: DialAccepted): void {
    this.accepted.set(request.attemptId, accepted);
    this.dialLog.push({ ...request, inputAttributes: { ...request.inputAttributes } });
    const max = this.options.maxRememberedAttempts ?? DEFAULT_MAX_REMEMBERED;
    // Maps iterate in insertion order: the first key is the oldest attempt.
    while (this.accepted.size > max) this.accepted.delete(this.accepted.keys().next().value as string);
    if (this.dialLog.length > max) this.dialLog.splice(0, this.dialLog.length - max);
  }

  private async reportLater(report: Omit<DialOutcomeReport, 'occurredAt'>): Promise<void> {
    const retryDelays = this.options.reportRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (!(await this.sleep(this.options.outcomeDelayMs))) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sink.report({ ...report, occurredAt: new Date() });
        return;
      } catch (error) {
        const last = attempt >= retryDelays.length;
        const what = `Reporting simulated outcome "${report.outcome}" of attempt ${report.attemptId} failed (try ${attempt + 1})`;
        if (last) {
          this.logger.error({ err: error, attemptId: report.attemptId }, `${what}; giving up`);
          return;
        }
        this.logger.warn({ err: error, attemptId: report.attemptId }, `${what}; retrying in ${retryDelays[attempt]} ms`);
        if (!(await this.sleep(retryDelays[attempt] as number))) return;
      }
    }
  }

  /** Resolves true after `ms`, or false at once if the module is being destroyed meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.stopped);
      }, ms);
      // A simulated call must never be the reason a process stays up.
      timer.unref();
      this.timers.set(timer, () => resolve(false));
    });
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}
