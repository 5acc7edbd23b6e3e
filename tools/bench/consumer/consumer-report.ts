import type { ProfileSummary } from '../cpu-profile-summary';
import type { Spread } from '../spread';
import type { PipelineStages } from './pipeline-run';
import type { CpuSpent } from './process-cpu';

/** The goals: this many events per second end to end, and this share of the bare pair's rate. */
export const CONSUMER_GOALS = { eventsPerSecond: 5_000, ratio: 0.5 } as const;

/** One round: the bare pair, then the pipeline, each moving `eventsPerRound` fresh events. */
export interface ConsumerRound {
  bare: { eventsPerSecond: number; elapsedMs: number; producedMs: number };
  pipeline: { eventsPerSecond: number; elapsedMs: number; stages: PipelineStages };
  /** pipeline events/s ÷ bare events/s of this round. */
  ratio: number;
}

export { type Spread, spread } from '../spread';

export interface ConsumerBenchReport {
  settings: {
    database: string;
    eventsPerRound: number;
    rounds: number;
    kafka: string;
    consumer: { maxWaitMs: number; partitionsConsumedConcurrently: number };
  };
  rounds: ConsumerRound[];
  pipeline: {
    eventsPerSecond: Spread;
    /** Rows crm-sync stored for the measured rounds' events (must equal rounds × events per round). */
    stored: number;
    /** CPU ms per 1,000 events over all rounds: the outbox writer, event-bridge (relay), crm-sync (consumer), the broker, Postgres. */
    cpuMsPerThousandEvents: CpuSpent;
  };
  bare: {
    eventsPerSecond: Spread;
    stored: number;
    cpuMsPerThousandEvents: CpuSpent;
  };
  /** Of the per-round ratios: each round's two sides ran back to back, under nearly the same load. */
  ratio: Spread;
  goals: typeof CONSUMER_GOALS;
  /** Judged on the medians. */
  goalsMet: { eventsPerSecond: boolean; ratio: boolean };
  cpuProfiles?: { service: string; file: string; summary: ProfileSummary }[];
}

export function eventsPerSecond(events: number, elapsedMs: number): number {
  return Math.round((events * 1_000) / Math.max(elapsedMs, 1));
}

export function ratioOf(pipelineRate: number, bareRate: number): number {
  return Math.round((pipelineRate / Math.max(bareRate, 1)) * 1_000) / 1_000;
}

export function judge(pipelineRate: number, ratio: number): Pick<ConsumerBenchReport, 'goals' | 'goalsMet'> {
  return {
    goals: CONSUMER_GOALS,
    goalsMet: { eventsPerSecond: pipelineRate >= CONSUMER_GOALS.eventsPerSecond, ratio: ratio >= CONSUMER_GOALS.ratio },
  };
}

const cpuLine = (cpu: CpuSpent) =>
  Object.entries(cpu)
    .map(([name, ms]) => `${name} ${ms === undefined ? 'n/a' : ms}`)
    .join(', ');

const spreadLine = ({ median, min, max }: Spread) => `median ${median} (min ${min}, max ${max})`;

function roundLine(round: ConsumerRound, index: number): string {
  const { bare, pipeline } = round;
  return (
    `    round ${index + 1}: bare ${bare.eventsPerSecond}/s (${Math.round(bare.elapsedMs)} ms), pipeline ${pipeline.eventsPerSecond}/s ` +
    `(outbox written ${pipeline.stages.outboxInsertedMs} ms, relayed ${pipeline.stages.relayedMs} ms, consumed ${pipeline.stages.consumedMs} ms), ratio ${round.ratio}`
  );
}

export function formatConsumerReport(report: ConsumerBenchReport): string {
  const { pipeline, bare, settings } = report;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `consumer benchmark: ${settings.rounds} rounds × ${settings.eventsPerRound} agent events per side, Kafka ${settings.kafka}, database ${settings.database}`,
    `  pipeline  outbox insert → relay (event-bridge) → Kafka → crm-sync inbox + agent_event_log row (event-bridge's agent streams also consume)`,
    `  bare pair kafkajs produce → kafkajs consume → one multi-row INSERT per fetched batch into a copy of the table (a side group records ids alongside)`,
    `  each round runs the bare pair, then the pipeline:`,
    ...report.rounds.map(roundLine),
    `  pipeline  events/s ${spreadLine(pipeline.eventsPerSecond)}; ${pipeline.stored} stored`,
    `            CPU ms per 1,000 events: ${cpuLine(pipeline.cpuMsPerThousandEvents)}`,
    `  bare pair events/s ${spreadLine(bare.eventsPerSecond)}; ${bare.stored} stored`,
    `            CPU ms per 1,000 events: ${cpuLine(bare.cpuMsPerThousandEvents)}`,
    `  ratio pipeline/bare per round: ${spreadLine(report.ratio)} (goal ≥ ${report.goals.ratio} for the median: ${mark(report.goalsMet.ratio)}); ` +
      `pipeline median ${pipeline.eventsPerSecond.median} events/s (goal ≥ ${report.goals.eventsPerSecond}: ${mark(report.goalsMet.eventsPerSecond)})`,
  ].join('\n');
}
