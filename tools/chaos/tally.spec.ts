import { describe, expect, it } from 'vitest';
import { formatTallies, lostOrDoubled, tallyKind } from './tally';

describe('chaos tally: accepted units against effects at the peer (issue 12)', () => {
  const units = {
    kind: 'sms',
    accepted: ['a', 'b', 'c'],
    unacknowledged: ['x', 'y'],
    refused: 1,
    effects: new Map([['a', 1], ['b', 2], ['x', 1]]),
    note: 'counted by the unit marker in the body',
  };

  it('counts once, lost and doubled per accepted unit, and what became of unacknowledged ones', () => {
    expect(tallyKind(units)).toEqual({
      kind: 'sms',
      accepted: 3,
      effectedOnce: 1,
      lost: 1,
      doubled: 1,
      unacknowledged: 2,
      unacknowledgedEffected: 1,
      refused: 1,
      crossTenant: 0,
      note: 'counted by the unit marker in the body',
      examples: { lost: ['c'], doubled: ['b'] },
    });
    expect(formatTallies([tallyKind(units)])).toContain('sms, lost: c\nsms, doubled: b');
  });

  it('a unit without a 2xx that took effect twice is still doubled', () => {
    expect(tallyKind({ ...units, accepted: [], effects: new Map([['x', 2]]) }).doubled).toBe(1);
  });

  it('counts the units with an effect at another tenant\'s peer, which fails the run', () => {
    const crossed = tallyKind({ ...units, accepted: ['a'], unacknowledged: [], effects: new Map([['a', 1]]), foreign: new Map([['a', 1], ['b', 0]]) });
    expect(crossed.crossTenant).toBe(1);
    expect(lostOrDoubled([crossed])).toBe(true);
  });

  it('flags any loss or double, and prints one row per kind with its note', () => {
    const clean = tallyKind({ ...units, accepted: ['a'], unacknowledged: [], refused: 0, effects: new Map([['a', 1]]) });
    expect(lostOrDoubled([clean])).toBe(false);
    expect(lostOrDoubled([clean, tallyKind(units)])).toBe(true);
    const table = formatTallies([clean]).split('\n');
    expect(table[0]).toMatch(/^kind\s+accepted\s+effected once\s+lost\s+doubled\s+unacknowledged \(effected\)\s+refused\s+cross-tenant$/);
    expect(table[1]).toMatch(/^sms\s+1\s+1\s+0\s+0\s+0 \(0\)\s+0\s+0$/);
    expect(table).toContain('sms: counted by the unit marker in the body');
  });
});
