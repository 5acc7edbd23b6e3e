import { parseArgs } from 'node:util';

export interface ChaosCliOptions {
  units: number;
  durationSeconds: number;
  killEverySeconds: number;
  seed: number;
  drainSeconds: number;
  concurrency: number;
  build: boolean;
}

export const CHAOS_USAGE =
  'usage: npm run chaos -- [--units N (10000)] [--duration s (300)] [--kill-every s (5)] [--seed n (random)] [--drain s (180)] [--concurrency n (16)] [--no-build]';

/** Parses `npm run chaos` arguments; throws a one-line reason for a bad one. */
export function parseChaosArgs(argv: readonly string[], randomSeed = () => Math.floor(Math.random() * 1_000_000)): ChaosCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      units: { type: 'string', default: '10000' },
      duration: { type: 'string', default: '300' },
      'kill-every': { type: 'string', default: '5' },
      seed: { type: 'string' },
      drain: { type: 'string', default: '180' },
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
