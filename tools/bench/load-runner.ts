/**
 * The load generator, run by run-load.ts as its own process so its event loop never shares a core's time
 * with bench.ts: autocannon (programmatic API) against one target, warm-up first, then the measured run.
 * Reads its LoadConfig from BENCH_LOAD_CONFIG and answers with LoadMessages over the IPC channel.
 */
import { SIGNATURE_HEADER, signBody } from '@switchboard/auth/hmac';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { LOAD_CONFIG_ENV, LoadConfig, LoadFigures, LoadMessage, withRequestId } from './load-protocol';

function tell(message: LoadMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('load-runner must be started with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function figuresOf(result: autocannon.Result, bodiesWithoutId: number): LoadFigures {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count ?? 0;
  return {
    durationSeconds: result.duration,
    responses: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bodiesWithoutId,
    statusCodes,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, average: result.latency.average },
    requestsPerSecondAverage: result.requests.average,
  };
}

/**
 * autocannon's per-request hook: fills in a unique id (a per-process prefix and a counter: distinct across the
 * warm-up and the measured run) and signs the body with a fresh timestamp when the target checks signatures.
 */
function requestSetup(config: LoadConfig): (request: autocannon.Request) => autocannon.Request {
  const prefix = randomBytes(4).toString('hex');
  let sent = 0;
  return (request) => {
    const body = withRequestId(config.body, `${prefix}-${sent++}`);
    const headers = config.hmacSecret === undefined ? request.headers : { ...request.headers, [SIGNATURE_HEADER]: signBody(config.hmacSecret, body) };
    return { ...request, body, headers };
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env[LOAD_CONFIG_ENV] ?? 'null') as LoadConfig | null;
  if (!config) throw new Error(`${LOAD_CONFIG_ENV} is not set`);
  const ids = new Set<string>();
  let phase: 'warmup' | 'measured' = config.warmupSeconds > 0 ? 'warmup' : 'measured';
  const withoutId = { warmup: 0, measured: 0 };
  // Runs for every answer: collects the ids so the bench can check each acknowledged request was stored.
  const verifyBody = (body: string | Buffer | undefined): boolean => {
    try {
      const id = (JSON.parse(String(body)) as Record<string, unknown>)[config.idField];
      if (typeof id === 'string') {
        ids.add(id);
        return true;
      }
    } catch {
      // Not JSON: counted below like any other body without an id.
    }
    withoutId[phase] += 1;
    return false;
  };
  const options = {
    url: config.url,
    method: 'POST' as const,
    headers: config.headers,
    body: config.body,
    // Built anew for every request: its own id, then (when asked) its signature over the final bytes.
    requests: [{ setupRequest: requestSetup(config) }],
    connections: config.connections,
    duration: config.durationSeconds,
    timeout: 10,
    verifyBody,
    ...(config.warmupSeconds > 0 && { warmup: { connections: config.connections, duration: config.warmupSeconds } }),
  };
  // Without a callback autocannon returns its tracker, an EventEmitter that is also a promise of the result.
  const instance = autocannon(options) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  // With a warm-up, the returned tracker is the measured run's: its 'start' is the start of measuring.
  instance.on('start', () => {
    phase = 'measured';
    void tell({ type: 'measuring' });
  });
  const result = (await instance) as autocannon.Result & { warmup?: autocannon.Result };
  await tell({
    type: 'result',
    result: {
      measured: figuresOf(result, withoutId.measured),
      ...(result.warmup && { warmup: figuresOf(result.warmup, withoutId.warmup) }),
      ids: [...ids],
    },
  });
}

main().then(
  () => process.exit(0),
  async (error: Error) => {
    await tell({ type: 'failed', message: error.stack ?? error.message }).catch(() => undefined);
    process.exit(1);
  },
);
