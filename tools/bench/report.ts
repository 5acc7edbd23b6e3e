import type { ProfileSummary } from './cpu-profile-summary';
import type { LoadResult } from './load-protocol';
import type { RowCount } from './bench-database';
import type { CpuUsage } from './cpu-usage';

export const THROUGHPUT_GOAL_RATIO = 0.5;

export type TargetName = 'baseline' | 'service';

export interface TargetReport {
  target: TargetName;
  url: string;
  /** 2xx answers per second of the measured run: the figure the ratio compares. */
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  ok2xx: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  warmup2xx: number;
  rows: {
    /** Rows the run added to the target's table. */
    inserted: number;
    /** Distinct ids the target answered with (warm-up included). */
    acknowledged: number;
    /** How many of those are rows of the table. */
    acknowledgedStored: number;
    /** Rows whose answer never reached autocannon: requests cut off when the warm-up or the run ended. */
    cutOff: number;
  };
  /** CPU time per 2xx request of the target, its Postgres backends and the load generator (Linux only). */
  cpu: CpuUsage;
}

export interface BenchSettings {
  /** What was loaded, e.g. "create-API benchmark". */
  title: string;
  /** The sb_bench_<random> database the run created and dropped. */
  database: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  poolSize: number;
  body: string;
  /** Anything else the figures depend on, one line each ("dispatcher: idle …"). */
  notes: string[];
}

export interface BenchReport {
  settings: BenchSettings;
  /** Baseline first: the order they ran in. */
  targets: TargetReport[];
  /** service requests/s ÷ baseline requests/s. */
  throughputRatio: number;
  goalRatio: number;
  goalMet: boolean;
  /** Anything that makes the figures untrustworthy: non-2xx, errors, rows that do not match the answers. */
  problems: string[];
  cpuProfile?: { file: string; summary: ProfileSummary };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** One target's figures from its load result and the rows its table gained. */
export function targetReport(target: TargetName, url: string, load: LoadResult, rows: RowCount, cpu: CpuUsage = { perRequestMs: {} }): TargetReport {
  const { measured, warmup } = load;
  const acknowledged = load.ids.length;
  return {
    target,
    url,
    requestsPerSecond: round1(measured.durationSeconds > 0 ? measured.ok2xx / measured.durationSeconds : 0),
    latencyMs: measured.latencyMs,
    ok2xx: measured.ok2xx,
    non2xx: measured.non2xx + (warmup?.non2xx ?? 0),
    errors: measured.errors + (warmup?.errors ?? 0),
    statusCodes: measured.statusCodes,
    warmup2xx: warmup?.ok2xx ?? 0,
    rows: { inserted: rows.total, acknowledged, acknowledgedStored: rows.matching, cutOff: rows.total - rows.matching },
    cpu,
  };
}

/** What is wrong with one target's run; empty when every 2xx answer is a stored row and nothing failed. */
export function problemsOf(report: TargetReport, connections: number, warmedUp: boolean): string[] {
  const problems: string[] = [];
  const { target, rows } = report;
  const answered = report.ok2xx + report.warmup2xx;
  if (report.ok2xx === 0) problems.push(`${target}: no 2xx answer in the measured run`);
  if (report.non2xx > 0) problems.push(`${target}: ${report.non2xx} non-2xx answers (measured run: ${JSON.stringify(report.statusCodes)})`);
  if (report.errors > 0) problems.push(`${target}: ${report.errors} connection errors or timeouts`);
  if (rows.acknowledged !== answered) problems.push(`${target}: ${answered} 2xx answers carried ${rows.acknowledged} distinct ids`);
  if (rows.acknowledgedStored !== rows.acknowledged) {
    problems.push(`${target}: ${rows.acknowledged - rows.acknowledgedStored} acknowledged ids are not rows of the table`);
  }
  // autocannon drops the requests still in flight when the warm-up and the run end: at most one per connection each.
  const mostCutOff = connections * (warmedUp ? 2 : 1);
  if (rows.cutOff < 0 || rows.cutOff > mostCutOff) {
    problems.push(`${target}: ${rows.cutOff} rows without a 2xx answer (at most ${mostCutOff} requests can be cut off)`);
  }
  return problems;
}

export function throughputRatio(baseline: TargetReport, service: TargetReport): number {
  return baseline.requestsPerSecond > 0 ? Math.round((service.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000 : 0;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

/** The human-readable report: settings, one row per target, the ratio and any problem. */
export function formatReport(report: BenchReport): string {
  const { settings } = report;
  const header = ['target', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', '2xx total', 'rows stored', 'cut off'];
  const rows = report.targets.map((t) => [
    t.target,
    t.requestsPerSecond.toFixed(1),
    String(t.latencyMs.p50),
    String(t.latencyMs.p99),
    String(t.errors),
    String(t.non2xx),
    String(t.ok2xx + t.warmup2xx),
    String(t.rows.inserted),
    String(t.rows.cutOff),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const ms = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(2));
  const cpuHeader = ['CPU ms per 2xx request', 'target', 'postgres', 'load generator', 'machine busy'];
  const cpuRows = report.targets.map((t) => [
    t.target,
    ms(t.cpu.perRequestMs.target),
    ms(t.cpu.perRequestMs.postgres),
    ms(t.cpu.perRequestMs.loadGenerator),
    t.cpu.machineBusyPercent === undefined ? 'n/a' : `${t.cpu.machineBusyPercent}%`,
  ]);
  const cpuWidths = cpuHeader.map((title, i) => Math.max(title.length, ...cpuRows.map((row) => row[i].length)));
  const verdict = report.goalMet ? 'met' : 'NOT met';
  return [
    `${settings.title}: ${settings.connections} connections, ${settings.durationSeconds} s measured after ${settings.warmupSeconds} s warm-up, one target after the other`,
    `body: ${settings.body}`,
    ...settings.notes,
    '',
    pad(header, widths),
    ...rows.map((row) => pad(row, widths)),
    '',
    pad(cpuHeader, cpuWidths),
    ...cpuRows.map((row) => pad(row, cpuWidths)),
    '',
    `throughput ratio service/baseline: ${report.throughputRatio.toFixed(3)} (goal ≥ ${report.goalRatio}: ${verdict})`,
    `rows: every 2xx answer (warm-up included) is a stored row; "cut off" rows were inserted for requests autocannon stopped waiting for when a phase ended`,
    ...(report.problems.length ? ['', 'PROBLEMS:', ...report.problems.map((problem) => `  - ${problem}`)] : []),
  ].join('\n');
}
