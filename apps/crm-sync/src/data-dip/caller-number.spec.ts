import { describe, expect, it } from 'vitest';
import { callerNumberOf } from './caller-number';

describe('callerNumberOf (CS7.1 strip "+" and the country code from the ANI)', () => {
  it.each([
    ['+12125550123', '2125550123', '+12125550123'],
    ['12125550123', '2125550123', '+12125550123'],
    ['+1 (212) 555-0123', '2125550123', '+12125550123'],
    ['+4915123456789', '15123456789', '+4915123456789'],
    ['+390612345678', '0612345678', '+390612345678'],
  ])('CS7.1 %s → national %s', (ani, national, e164) => {
    expect(callerNumberOf(ani)).toEqual({ national, e164 });
  });

  it.each(['', 'anonymous', '+1', '+999 123', "2125550123' or 1 eq 1", '+1212555012300000000000000000000000'])('CS7.1 %j is no caller number', (ani) => {
    expect(callerNumberOf(ani)).toBeUndefined();
  });
});
