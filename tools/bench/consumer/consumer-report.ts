import type { ProfileSummary } from '../cpu-profile-summary';
import type { PipelineStages } from './pipeline-run';

/** The goals: this many events per second end to end, and this share of the bare pair's rate. */
export const CONSUMER_GOALS = { eventsPerSecond: 5_000, ratio: 0.5 } as const;

export type CpuPerThousand = Record<string, number | undefined>;

export interface ConsumerBenchReport {
  settings: {
    database: string;
    events: number;
    kafka: string;
    consumer: { maxWaitMs: number; partitionsConsumedConcurrently: number };
  };
  pipeline: {
    eventsPerSecond: number;
    elapsedMs: number;
    stages: PipelineStages;
    /** Rows crm-sync stored for the run's events (must equal the event count). */
    stored: number;
    /** CPU ms per 1,000 events: the outbox writer, event-bridge (relay), crm-sync (consumer), the broker, Postgres. */
    cpuMsPerThousandEvents: CpuPerThousand;
  };
  bare: {
    eventsPerSecond: number;
    elapsedMs: number;
    producedMs: number;
    stored: number;
    cpuMsPerThousandEvents: CpuPerThousand;
  };
  /** pipeline events/s ÷ bare events/s. */
  ratio: number;
  goals: typeof CONSUMER_GOALS;
  goalsMet: { eventsPerSecond: boolean; ratio: boolean };
  cpuProfiles?: { service: string; file: string; summary: ProfileSummary }[];
}

export function eventsPerSecond(events: number, elapsedMs: number): number {
  return Math.round((events * 1_000) / Math.max(elapsedMs, 1));
}

export function judge(pipelineRate: number, bareRate: number): Pick<ConsumerBenchReport, 'ratio' | 'goals' | 'goalsMet'> {
  const ratio = Math.round((pipelineRate / Math.max(bareRate, 1)) * 1_000) / 1_000;
  return {
    ratio,
    goals: CONSUMER_GOALS,
    goalsMet: { eventsPerSecond: pipelineRate >= CONSUMER_GOALS.eventsPerSecond, ratio: ratio >= CONSUMER_GOALS.ratio },
  };
}

const cpuLine = (cpu: CpuPerThousand) =>
  Object.entries(cpu)
    .map(([name, ms]) => `${name} ${ms === undefined ? 'n/a' : ms}`)
    .join(', ');

export function formatConsumerReport(report: ConsumerBenchReport): string {
  const { pipeline, bare, settings } = report;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `consumer benchmark: ${settings.events} agent events, Kafka ${settings.kafka}, database ${settings.database}`,
    `  pipeline  outbox insert → relay (event-bridge) → Kafka → crm-sync inbox + agent_event_log row (event-bridge's agent streams also consume)`,
    `            ${pipeline.eventsPerSecond} events/s (${pipeline.elapsedMs} ms; outbox written at ${pipeline.stages.outboxInsertedMs} ms, ` +
      `relayed at ${pipeline.stages.relayedMs} ms, consumed at ${pipeline.stages.consumedMs} ms; ${pipeline.stored} stored)`,
    `            CPU ms per 1,000 events: ${cpuLine(pipeline.cpuMsPerThousandEvents)}`,
    `  bare pair kafkajs produce → kafkajs consume → one multi-row INSERT per fetched batch into a copy of the table (a side group records ids alongside)`,
    `            ${bare.eventsPerSecond} events/s (${bare.elapsedMs} ms; produced at ${Math.round(bare.producedMs)} ms; ${bare.stored} stored)`,
    `            CPU ms per 1,000 events: ${cpuLine(bare.cpuMsPerThousandEvents)}`,
    `  ratio pipeline/bare ${report.ratio} (goal ≥ ${report.goals.ratio}: ${mark(report.goalsMet.ratio)}); ` +
      `${pipeline.eventsPerSecond} events/s (goal ≥ ${report.goals.eventsPerSecond}: ${mark(report.goalsMet.eventsPerSecond)})`,
  ].join('\n');
}
