import { describe, expect, it } from 'vitest';
import { bySlotMillisecond, planSlots } from './rate-slots';

const T0 = new Date('2026-12-02T15:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const offsets = (dates: Date[]) => dates.map((date) => date.getTime() - T0.getTime());

describe('per-sender send slots (OM3.4 throughput limits)', () => {
  it('OM3.4 a long code (1/s) gets one slot per second: one now, the rest deferred a second apart', () => {
    const plan = planSlots({ tat: at(-5_000), messagesPerSecond: 1 }, 4, T0, 1_000);
    expect(offsets(plan.slots)).toEqual([0]);
    expect(offsets(plan.deferredUntil)).toEqual([1_000, 2_000, 3_000]);
    expect(plan.nextTat).toEqual(at(1_000));
  });

  it('OM3.4 a toll-free number (3/s) spaces its slots a third of a second apart', () => {
    const plan = planSlots({ tat: T0, messagesPerSecond: 3 }, 5, T0, 1_000);
    expect(offsets(plan.slots)).toEqual([0, 333, 666]);
    expect(offsets(plan.deferredUntil)).toEqual([1_000, 1_333]);
    expect(plan.nextTat).toEqual(at(1_000));
  });

  it('OM3.4 a short code (100/s) sends a batch of 100 within the second', () => {
    const plan = planSlots({ tat: T0, messagesPerSecond: 100 }, 100, T0, 1_000);
    expect(plan.slots).toHaveLength(100);
    expect(plan.deferredUntil).toEqual([]);
    expect(offsets(plan.slots).at(-1)).toBeCloseTo(990);
  });

  it('OM3.4 slots booked earlier (by this or another replica) are never booked again', () => {
    const first = planSlots({ tat: T0, messagesPerSecond: 2 }, 2, T0, 1_000);
    const second = planSlots({ tat: first.nextTat, messagesPerSecond: 2 }, 2, T0, 1_000);
    expect(offsets(second.slots)).toEqual([]);
    expect(offsets(second.deferredUntil)).toEqual([1_000, 1_500]);
    const later = planSlots({ tat: first.nextTat, messagesPerSecond: 2 }, 2, at(600), 1_000);
    expect(offsets(later.slots)).toEqual([1_000, 1_500]);
  });

  it('OM3.4 over any window the slots never exceed the rate', () => {
    let tat = T0;
    const sent: number[] = [];
    for (let now = 0; now < 10_000; now += 250) {
      const plan = planSlots({ tat, messagesPerSecond: 3 }, 50, at(now), 1_000);
      sent.push(...offsets(plan.slots));
      tat = plan.nextTat;
    }
    for (const start of sent) expect(sent.filter((slot) => slot >= start && slot < start + 1_000).length).toBeLessThanOrEqual(3);
    expect(sent.length).toBeGreaterThanOrEqual(30);
  });
});

describe('slots grouped per millisecond (one timer per group in the sender)', () => {
  it('OM3.4 a sender of 10,000/s books ten slots per millisecond: they form one group each, in booked order', () => {
    const plan = planSlots({ tat: T0, messagesPerSecond: 10_000 }, 25, T0, 1_000);
    const messages = plan.slots.map((slot, index) => ({ index, slot }));

    const groups = bySlotMillisecond(messages, (message) => message.slot);

    expect([...groups.keys()].map((slot) => slot - T0.getTime())).toEqual([0, 1, 2]);
    expect([...groups.values()].map((group) => group.map((message) => message.index))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24],
    ]);
  });

  it('OM3.4 slots a third of a second apart stay one message per group', () => {
    const plan = planSlots({ tat: T0, messagesPerSecond: 3 }, 3, T0, 1_000);
    expect([...bySlotMillisecond(plan.slots, (slot) => slot).values()]).toEqual(plan.slots.map((slot) => [slot]));
  });
});
