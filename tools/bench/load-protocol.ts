/** What bench.ts and its load-runner child process tell each other (JSON over the IPC channel). */

export interface LoadConfig {
  /** Full URL of the create endpoint. */
  url: string;
  headers: Record<string, string>;
  /** Body template; `[<id>]` becomes a unique id in every request. */
  body: string;
  connections: number;
  durationSeconds: number;
  /** 0 = no warm-up. */
  warmupSeconds: number;
}

/** The figures of one autocannon run (the measured part, or the warm-up). */
export interface LoadFigures {
  durationSeconds: number;
  /** Every answer, whatever its status. */
  responses: number;
  ok2xx: number;
  non2xx: number;
  /** Connection errors and timeouts (autocannon counts timeouts among errors). */
  errors: number;
  timeouts: number;
  /** 2xx answers whose body had no DeliveryId, plus every non-2xx body (they have none either). */
  bodiesWithoutDeliveryId: number;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  /** autocannon's mean of per-second samples, all answers. */
  requestsPerSecondAverage: number;
}

export interface LoadResult {
  measured: LoadFigures;
  warmup?: LoadFigures;
  /** Every distinct DeliveryId the target answered with, warm-up included. */
  deliveryIds: string[];
}

export type LoadMessage = { type: 'measuring' } | { type: 'result'; result: LoadResult } | { type: 'failed'; message: string };

export const LOAD_CONFIG_ENV = 'BENCH_LOAD_CONFIG';
