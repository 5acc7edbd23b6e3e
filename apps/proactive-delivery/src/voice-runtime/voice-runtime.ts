import { DialOutcome } from '@switchboard/contracts';
import { DialingMode } from '../configurations/configuration.schema';

/** One dial of one delivery attempt, as handed to a voice runtime (PD4.3). */
export interface DialRequest {
  /** Idempotency key: a request re-sent with the same attemptId must not dial twice. */
  attemptId: string;
  deliveryId: string;
  tenantId: string;
  configurationId: string;
  attemptNumber: number;
  /** E.164 */
  phoneNumber: string;
  /** E.164 */
  callerIdNumber: string;
  /** Travels with the dial request (PD2.2): dial the customer first, or reserve an agent first. */
  dialingMode: DialingMode;
  /** The bot or queue that handles the answered call. */
  workflowId: string;
  inputAttributes: Record<string, string>;
}

export interface DialAccepted {
  providerCallId: string;
}

/** The outcome of one attempt, reported by the runtime later (webhook or simulator). */
export interface DialOutcomeReport {
  attemptId: string;
  outcome: DialOutcome;
  providerCallId?: string;
  occurredAt?: Date;
}

/** A voice runtime: accepts a dial request now and reports its outcome later through a DialOutcomeSink. */
export interface VoiceRuntimeProvider {
  readonly name: string;
  dial(request: DialRequest): Promise<DialAccepted>;
}

/** Thrown when the runtime refuses a request for good (4xx): retrying the same request cannot help. */
export class DialRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DialRejectedError';
  }
}

/** Where outcomes go: implemented by the dispatch feature, which moves the delivery on. */
export interface DialOutcomeSink {
  report(report: DialOutcomeReport): Promise<void>;
}

export const DIAL_OUTCOME_SINK = Symbol('DIAL_OUTCOME_SINK');

/** The providers this process can dial through, chosen by configuration. */
export interface VoiceRuntimeRegistry {
  get(name: string): VoiceRuntimeProvider | undefined;
  names(): string[];
}

export const VOICE_RUNTIME_REGISTRY = Symbol('VOICE_RUNTIME_REGISTRY');
