import { describe, expect, it } from 'vitest';
import { uniqueTopic } from './unique-topic';

describe('uniqueTopic (P3.1 topic names stay recognisable)', () => {
  it('keeps the base name and appends a random suffix', () => {
    expect(uniqueTopic('proactive.delivery.v1')).toMatch(/^proactive\.delivery\.v1\.t-[0-9a-f]{12}$/);
  });

  it('never repeats itself', () => {
    const topics = new Set(Array.from({ length: 1_000 }, () => uniqueTopic('agent.events.v1')));
    expect(topics.size).toBe(1_000);
  });

  it('rejects characters Kafka does not allow in topic names', () => {
    expect(() => uniqueTopic('agent events')).toThrow(/must use only/);
    expect(() => uniqueTopic('')).toThrow(/must use only/);
  });
});
