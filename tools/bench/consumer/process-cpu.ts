import { withConnection } from '@switchboard/persistence/migrate';
import { processCpuMs } from '../cpu-usage';

/** CPU milliseconds of named processes, and of every Postgres backend serving one database. */
export interface CpuReading {
  processes: Record<string, number | undefined>;
  postgres: Map<number, number>;
}

async function backendsOf(databaseUrl: string, database: string): Promise<number[]> {
  return withConnection(databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return rows.map((row) => row.pid);
  });
}

export async function readCpu(pids: Record<string, number | undefined>, databaseUrl: string, database: string): Promise<CpuReading> {
  const processes = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const postgres = new Map<number, number>();
  for (const pid of await backendsOf(databaseUrl, database)) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) postgres.set(pid, ms);
  }
  return { processes, postgres };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** CPU ms per process and for Postgres; undefined where a process could not be read. */
export type CpuSpent = Record<string, number | undefined>;

/**
 * CPU ms spent between two readings, per process and for Postgres. A backend that appeared during the
 * phase (a pool opening a connection) counts whole; one that went away counts until its last reading.
 */
export function cpuSpent(before: CpuReading, after: CpuReading): CpuSpent {
  const result: CpuSpent = {};
  for (const [name, start] of Object.entries(before.processes)) {
    const end = after.processes[name];
    result[name] = start === undefined || end === undefined ? undefined : end - start;
  }
  let postgres = 0;
  for (const [pid, end] of after.postgres) postgres += end - (before.postgres.get(pid) ?? 0);
  result['postgres'] = postgres;
  return result;
}

/** The sum of several phases' CPU (the rounds of one side); a process unreadable in any phase stays undefined. */
export function addCpu(total: CpuSpent | undefined, phase: CpuSpent): CpuSpent {
  if (!total) return { ...phase };
  return Object.fromEntries(Object.entries(phase).map(([name, ms]) => [name, ms === undefined || total[name] === undefined ? undefined : total[name] + ms]));
}

/** CPU ms per 1,000 events. */
export function perThousandEvents(spent: CpuSpent, events: number): CpuSpent {
  return Object.fromEntries(Object.entries(spent).map(([name, ms]) => [name, ms === undefined ? undefined : round1((ms * 1_000) / events)]));
}

/** CPU ms per 1,000 events between two readings, per process and for Postgres. */
export function cpuPerThousand(before: CpuReading, after: CpuReading, events: number): CpuSpent {
  return perThousandEvents(cpuSpent(before, after), events);
}
