import type { ProfileSummary } from '../cpu-profile-summary';

/** The issue's goal: a pop is on the agent's screen within this long, for 99 % of deliveries. */
export const POPS_GOAL = { p99Ms: 250 } as const;

export interface PopsBenchReport {
  settings: {
    database: string;
    kafka: string;
    replicas: number;
    clients: number;
    agents: number;
    pops: number;
    popsPerSecond: number;
  };
  /** Streams that answered 200 and stayed open until the end. */
  connected: number;
  /** Deliveries expected: every pop once on each stream of its agent. */
  expected: number;
  received: number;
  /** Deliveries beyond the first of the same pop on the same stream (must be 0). */
  duplicates: number;
  /** Streams that missed at least one pop of their agent. */
  clientsMissingPops: number;
  /** From the start of the pop's outbox transaction to its arrival on a stream, over every delivery. */
  latencyMs: LatencySummary;
  /** Per pop, from the rows' timestamps: outbox row → sent to Kafka, and sent → its stream entry's transaction. */
  stages: { relayMs: LatencySummary; consumeMs: LatencySummary };
  /** CPU ms per 1,000 pops while they were published and delivered: each replica, the bench process, Postgres. */
  cpuMsPerThousandPops: Record<string, number | undefined>;
  /** The machine's 1/5/15-minute load averages at the end: other work on the same cores shows in the tails. */
  loadAverage: number[];
  goal: typeof POPS_GOAL;
  goalMet: boolean;
  cpuProfiles?: { service: string; file: string; summary: ProfileSummary }[];
}

/** The nearest-rank percentile (`p` in 0–100) of `values`; 0 for none. */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedValues.length);
  return sortedValues[Math.min(sortedValues.length, Math.max(rank, 1)) - 1];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) };
}

export function formatPopsReport(report: PopsBenchReport): string {
  const { settings, latencyMs, stages } = report;
  const line = (summary: LatencySummary) => `p50 ${summary.p50} ms, p90 ${summary.p90} ms, p99 ${summary.p99} ms, max ${summary.max} ms`;
  return [
    `pops benchmark: ${settings.clients} SSE clients over ${settings.agents} agents on ${settings.replicas} event-bridge replica(s), ` +
      `${settings.pops} pops at ${settings.popsPerSecond}/s, Kafka ${settings.kafka}, database ${settings.database}`,
    `  path      outbox commit → relay → Kafka crm.record-pops.v1 → inbox consumer → agent_stream_entry + NOTIFY → LISTEN → SSE`,
    `  streams   ${report.connected} of ${settings.clients} connected and open to the end`,
    `  delivered ${report.received} of ${report.expected} (duplicates ${report.duplicates}, streams missing a pop ${report.clientsMissingPops})`,
    `  latency   ${line(latencyMs)} (goal p99 < ${report.goal.p99Ms} ms: ${report.goalMet ? 'met' : 'NOT met'})`,
    `  of which  relay (outbox row → Kafka) ${line(stages.relayMs)}`,
    `            consumer (Kafka → stream entry) ${line(stages.consumeMs)}`,
    `  CPU ms per 1,000 pops: ${Object.entries(report.cpuMsPerThousandPops)
      .map(([name, ms]) => `${name} ${ms ?? 'n/a'}`)
      .join(', ')} (the load average shows what else ran: ${report.loadAverage.join(' ')})`,
  ].join('\n');
}
