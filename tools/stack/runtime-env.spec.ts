import { describe, expect, it } from 'vitest';
import { serviceProcessEnv } from './runtime-env';

const manifest = { runtimeEnv: { NODE_OPTIONS: '--max-semi-space-size=2', MALLOC_ARENA_MAX: '2' } };

describe('a service process environment', () => {
  it('carries the manifest runtime tuning, under the caller variables', () => {
    expect(serviceProcessEnv({ PATH: '/bin' }, manifest, { PORT: '1', MALLOC_ARENA_MAX: '4' })).toEqual({
      PATH: '/bin',
      PORT: '1',
      MALLOC_ARENA_MAX: '4',
      NODE_OPTIONS: '--max-semi-space-size=2',
    });
  });

  it('joins NODE_OPTIONS: a caller preload (the profiler) keeps the heap flags', () => {
    expect(serviceProcessEnv({ NODE_OPTIONS: '--trace-warnings' }, manifest, {}).NODE_OPTIONS).toBe('--max-semi-space-size=2 --trace-warnings');
    expect(serviceProcessEnv({}, manifest, { NODE_OPTIONS: '--require p.cjs' }).NODE_OPTIONS).toBe('--max-semi-space-size=2 --require p.cjs');
  });

  it('leaves the tuning out when SWITCHBOARD_RUNTIME_ENV=off (A/B measurement) or the manifest has none', () => {
    expect(serviceProcessEnv({ SWITCHBOARD_RUNTIME_ENV: 'off' }, manifest, {})).toEqual({ SWITCHBOARD_RUNTIME_ENV: 'off' });
    expect(serviceProcessEnv({}, { runtimeEnv: {} }, { PORT: '1' })).toEqual({ PORT: '1' });
  });
});
