import { describe, expect, it } from 'vitest';
import { outcomeEmailRecipient } from './outcome-email-recipient';

const GLOBAL = 'team@example.com';
const QUEUE = 'billing@example.com';

describe('outcome e-mail recipient (CS6.1 inheritance table)', () => {
  it.each([
    ['off', 'off', undefined],
    ['off', 'on', QUEUE],
    ['on', 'off', GLOBAL],
    ['on', 'on', QUEUE],
  ] as const)('CS6.1 global %s, queue %s → %s', (global, queue, expected) => {
    expect(outcomeEmailRecipient({ enabled: global === 'on', address: GLOBAL }, { enabled: queue === 'on', address: QUEUE })).toBe(expected);
  });

  it('CS6.1 a queue without settings counts as off: it inherits the global address when that is on', () => {
    expect(outcomeEmailRecipient({ enabled: true, address: GLOBAL }, undefined)).toBe(GLOBAL);
    expect(outcomeEmailRecipient({ enabled: false, address: GLOBAL }, undefined)).toBeUndefined();
  });

  it.each([
    ['global on, queue off, global address empty', { enabled: true, address: '' }, { enabled: false, address: QUEUE }],
    ['global on, queue off, global address missing', { enabled: true }, undefined],
    ['global off, queue on, queue address blank', { enabled: false, address: GLOBAL }, { enabled: true, address: '   ' }],
    // The queue's empty address overrides (row 4): it does not fall back to the global one.
    ['global on, queue on, queue address empty', { enabled: true, address: GLOBAL }, { enabled: true, address: null }],
  ])('CS6.1 an empty resulting address sends nothing: %s', (_case, global, queue) => {
    expect(outcomeEmailRecipient(global, queue)).toBeUndefined();
  });
});
