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

/**
 * CPU ms per 1,000 events between two readings, per process and for Postgres. A backend that appeared
 * during the run (a pool opening a connection) counts whole; one that went away counts until its last reading.
 */
export function cpuPerThousand(before: CpuReading, after: CpuReading, events: number): Record<string, number | undefined> {
  const per = (ms: number) => round1((ms * 1_000) / events);
  const result: Record<string, number | undefined> = {};
  for (const [name, start] of Object.entries(before.processes)) {
    const end = after.processes[name];
    result[name] = start === undefined || end === undefined ? undefined : per(end - start);
  }
  let postgres = 0;
  for (const [pid, end] of after.postgres) postgres += end - (before.postgres.get(pid) ?? 0);
  result['postgres'] = per(postgres);
  return result;
}
