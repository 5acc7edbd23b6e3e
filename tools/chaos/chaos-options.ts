import { parseArgs } from 'node:util';

export interface ChaosCliOptions {
  /** Units to send, split evenly between proactive deliveries, message sends, file uploads and session events; the default leaves room for the few unacknowledged under kills, so that ≥ 10,000 are accepted. */
  units: number;
  /** Over how long the workload is spread. */
  durationSeconds: number;
  /** Mean time between two SIGKILLs (each lands at 0.5–1.5 × this). */
  killEverySeconds: number;
  /** Seeds the kill schedule (which service, when). */
  seed: number;
  /** Upper bound of the final drain (waiting until every accepted unit took effect and the counts stand still). */
  drainSeconds: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Build the services first (nx, cached). */
  build: boolean;
}

export const CHAOS_USAGE =
  'usage: npm run chaos -- [--units N (10400)] [--duration s (300)] [--kill-every s (5)] [--seed n (random)] [--drain s (420)] [--concurrency n (16)] [--no-build]';

/** Parses `npm run chaos` arguments; throws a one-line reason for a bad one. */
export function parseChaosArgs(argv: readonly string[], randomSeed = () => Math.floor(Math.random() * 1_000_000)): ChaosCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      units: { type: 'string', default: '10400' },
      duration: { type: 'string', default: '300' },
      'kill-every': { type: 'string', default: '5' },
      seed: { type: 'string' },
      drain: { type: 'string', default: '420' },
      concurrency: { type: 'string', default: '16' },
      'no-build': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const positive = (name: string, text: string, min = 1) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, not ${JSON.stringify(text)}`);
    return value;
  };
  return {
    units: Math.floor(positive('units', values.units)),
    durationSeconds: positive('duration', values.duration),
    killEverySeconds: positive('kill-every', values['kill-every']),
    seed: values.seed === undefined ? randomSeed() : Math.floor(positive('seed', values.seed, 0)),
    drainSeconds: positive('drain', values.drain, 30),
    concurrency: Math.floor(positive('concurrency', values.concurrency)),
    build: !values['no-build'],
  };
}
