/** What bench.ts and its load-runner child process tell each other (JSON over the IPC channel). */

/** In a body template, replaced by an id of its own in every request, so that every request inserts a row. */
export const REQUEST_ID_MARKER = '[<id>]';

/** One concrete body (the marker replaced), e.g. for the probe request sent before the load. */
export function withRequestId(template: string, requestId: string): string {
  return template.split(REQUEST_ID_MARKER).join(requestId);
}

export interface LoadConfig {
  /** Full URL of the endpoint. */
  url: string;
  headers: Record<string, string>;
  /** Body template; REQUEST_ID_MARKER becomes a unique id in every request. */
  body: string;
  /** The field of a 2xx answer's JSON that names the stored row (DeliveryId, eventId). */
  idField: string;
  /**
   * When set, every request is signed as it is sent, after its id is filled in: X-Switchboard-Signature
   * `t=<now>,v1=<HMAC-SHA256 of "<t>.<body>">` under this secret, so each one is inside the signature window.
   */
  hmacSecret?: string;
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
  /** 2xx answers whose body had no id, plus every non-2xx body (they have none either). */
  bodiesWithoutId: number;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  /** autocannon's mean of per-second samples, all answers. */
  requestsPerSecondAverage: number;
}

export interface LoadResult {
  measured: LoadFigures;
  warmup?: LoadFigures;
  /** Every distinct id the target answered with (LoadConfig.idField), warm-up included. */
  ids: string[];
}

export type LoadMessage = { type: 'measuring' } | { type: 'result'; result: LoadResult } | { type: 'failed'; message: string };

export const LOAD_CONFIG_ENV = 'BENCH_LOAD_CONFIG';
