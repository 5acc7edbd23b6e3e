import { describe, expect, it } from 'vitest';
import { outboxEnvelopes } from './outbox';

describe('outboxEnvelopes', () => {
  it('joins the envelopes into one JSON array, in row order, their text untouched', () => {
    const envelopes = [{ id: 'a', data: { text: 'say "hi" \\ {x}' } }, { id: 'b', data: { text: 'ünïcode, comma' } }];
    const rows = envelopes.map((envelope) => ({ id: envelope.id, topic: 't', key: envelope.id, envelope: JSON.stringify(envelope) }));
    const text = outboxEnvelopes(rows);
    expect(JSON.parse(text)).toEqual(envelopes);
    expect(text).toBe(`[${rows[0]?.envelope},${rows[1]?.envelope}]`);
  });

  it('is an empty array for no rows', () => {
    expect(outboxEnvelopes([])).toBe('[]');
  });
});
