import { describe, expect, it } from 'vitest';
import { type RequestKey, statementRounds } from './deliveries.repository';

const write = (name: string, tenantId: string, requestKey: RequestKey) => ({ name, delivery: { tenantId }, requestKey });
const fingerprint = (key: string, periodSeconds = 600): RequestKey => ({ kind: 'request_fingerprint', key, periodSeconds });
const names = (rounds: { name: string }[][]) => rounds.map((round) => round.map((w) => w.name));

describe('statementRounds: which concurrent creates can share one statement (PD1.5)', () => {
  it('puts distinct requests with the same repeat period into one statement, in order', () => {
    expect(names(statementRounds([write('a', 't1', fingerprint('x')), write('b', 't1', fingerprint('y')), write('c', 't2', fingerprint('x'))]))).toEqual([['a', 'b', 'c']]);
  });

  it('moves a twin (same tenant, kind and key) into a later statement, so it waits for the first claim', () => {
    const rounds = statementRounds([write('a', 't1', fingerprint('x')), write('twin 1', 't1', fingerprint('x')), write('b', 't1', fingerprint('y')), write('twin 2', 't1', fingerprint('x'))]);
    expect(names(rounds)).toEqual([['a', 'b'], ['twin 1'], ['twin 2']]);
  });

  it('keeps requests with different repeat periods (tenants settings, Idempotency-Key for good) apart', () => {
    const rounds = statementRounds([
      write('a', 't1', fingerprint('x', 600)),
      write('b', 't2', fingerprint('x', 60)),
      write('c', 't1', { kind: 'idempotency_key', key: 'x' }),
      write('d', 't3', fingerprint('z', 600)),
      write('e', 't3', { kind: 'idempotency_key', key: 'k' }),
    ]);
    expect(names(rounds)).toEqual([['a', 'd'], ['b'], ['c', 'e']]);
  });
});
