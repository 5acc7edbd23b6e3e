import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU time per process from /proc (Linux), to tell where the time of a run goes on a small machine where
 * the target, Postgres and the load generator share the cores. Elsewhere every reading is undefined.
 */

/** Linux reports process times in USER_HZ, 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in milliseconds, or undefined when it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15 of the line
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine (all cores) in milliseconds, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: (busy * 1000) / TICKS_PER_SECOND, total: ((busy + idle + iowait) * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** The baseline's pool names itself so that its backends can be told from the service's. */
export const BASELINE_APPLICATION_NAME = 'bench-baseline';

/** Process ids of the Postgres backends of `database` that serve the baseline's pool, or everything else. */
export async function backendPids(databaseUrl: string, database: string, of: 'baseline' | 'service'): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
       AND (application_name = $2) = $3`,
      [database, BASELINE_APPLICATION_NAME, of === 'baseline'],);
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuSnapshot {
  target?: number;
  loadGenerator?: number;
  /** Per backend pid. */
  postgres: Map<number, number>;
  machine?: { busy: number; total: number };
}

export function takeSnapshot(targetPid: number | undefined, loadGeneratorPid: number | undefined, postgresPids: readonly number[]): CpuSnapshot {
  const postgres = new Map<number, number>();
  for (const pid of postgresPids) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) postgres.set(pid, ms);
  }
  return { target: processCpuMs(targetPid), loadGenerator: processCpuMs(loadGeneratorPid), postgres, machine: machineCpuMs() };
}

export interface CpuUsage {
  /** CPU milliseconds per 2xx request. */
  perRequestMs: { target?: number; postgres?: number; loadGenerator?: number };
  /** Busy share of all cores over the measured run, in percent. */
  machineBusyPercent?: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Usage between two snapshots; Postgres counts the backends present in both (the pool lives through the run). */
export function usageBetween(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuUsage {
  const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || requests === 0 ? undefined : round2((b - a) / requests));
  let postgresMs: number | undefined;
  for (const [pid, start] of before.postgres) {
    const end = after.postgres.get(pid);
    if (end !== undefined) postgresMs = (postgresMs ?? 0) + end - start;
  }
  const machine =
    before.machine && after.machine && after.machine.total > before.machine.total
      ? Math.round(((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 1000) / 10
      : undefined;
  return {
    perRequestMs: {
      target: per(before.target, after.target),
      postgres: per(postgresMs === undefined ? undefined : 0, postgresMs),
      loadGenerator: per(before.loadGenerator, after.loadGenerator),
    },
    ...(machine !== undefined && { machineBusyPercent: machine }),
  };
}
