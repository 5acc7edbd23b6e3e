import { describe, expect, it } from 'vitest';
import { type SuppressionRow, suppressionReasons } from './opt-outs.repository';

const voice = (phoneNumber: string, reason: string | null, expiresAt: Date | string | null): SuppressionRow => ({ list: 'voice', phoneNumber, keyword: null, reason, expiresAt });
const optOut = (phoneNumber: string, keyword: string): SuppressionRow => ({ list: 'opt-out', phoneNumber, keyword, reason: null, expiresAt: null });

describe('suppressionReasons (OM5.2: one statement reads both lists)', () => {
  it('names the voice listing with its reason and end, and the opt-out with its keyword', () => {
    const reasons = suppressionReasons([voice('+14155550001', 'Asked on a call', '2027-01-01T00:00:00.000Z'), voice('+14155550002', null, null), optOut('+14155550003', 'STOP')]);
    expect(Object.fromEntries(reasons)).toEqual({
      '+14155550001': "+14155550001 is on the tenant's voice do-not-call list (Asked on a call, until 2027-01-01T00:00:00.000Z); no messages are sent to it while it is listed",
      '+14155550002': "+14155550002 is on the tenant's voice do-not-call list; no messages are sent to it while it is listed",
      '+14155550003': '+14155550003 opted out (replied STOP); it is not sent until the customer opts back in',
    });
  });

  it('names the customer\'s own opt-out over a voice listing of the same number, in whatever order the rows come', () => {
    const expected = '+14155550001 opted out (replied ARRET); it is not sent until the customer opts back in';
    expect(suppressionReasons([voice('+14155550001', 'Asked on a call', new Date('2027-01-01T00:00:00.000Z')), optOut('+14155550001', 'ARRET')]).get('+14155550001')).toBe(expected);
    expect(suppressionReasons([optOut('+14155550001', 'ARRET'), voice('+14155550001', 'Asked on a call', null)]).get('+14155550001')).toBe(expected);
  });

  it('is empty for no rows', () => {
    expect(suppressionReasons([]).size).toBe(0);
  });
});
