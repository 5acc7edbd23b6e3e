/** A sender's rate limiter state (generic cell rate algorithm): when its next message may leave, and its rate. */
export interface SenderRate {
  /** The theoretical arrival time of the sender's next message. */
  tat: Date;
  messagesPerSecond: number;
}

export interface SlotPlan {
  /** When each granted message may leave, in order. */
  slots: Date[];
  /** For messages not granted now: when each is expected to be due, so claiming skips them until then. */
  deferredUntil: Date[];
  /** The sender's state after this plan. */
  nextTat: Date;
}

/**
 * Books send slots for `count` queued messages of one sender (OM3.4): evenly spaced at its rate,
 * never earlier than its last booked slot, and only as far as `aheadMs` from now. Every replica books
 * through the same row in Postgres (locked while booking), so together they keep the sender's rate.
 */
export function planSlots(rate: SenderRate, count: number, now: Date, aheadMs: number): SlotPlan {
  const step = 1_000 / rate.messagesPerSecond;
  const start = Math.max(rate.tat.getTime(), now.getTime());
  const horizon = now.getTime() + aheadMs;
  const grantable = start >= horizon ? 0 : Math.ceil((horizon - start) / step);
  const granted = Math.min(count, grantable);
  const slots = Array.from({ length: granted }, (_, i) => new Date(start + i * step));
  const deferredUntil = Array.from({ length: count - granted }, (_, j) => new Date(Math.floor(start + (granted + j) * step)));
  // Rounded up: a booked slot never moves earlier, so the rate is never exceeded by rounding.
  return { slots, deferredUntil, nextTat: new Date(Math.ceil(start + granted * step)) };
}

/**
 * Messages grouped by their slot's millisecond (Date's resolution), in slot order as booked: a fast sender books
 * several per millisecond, and a group leaves on one timer (timers count whole milliseconds anyway).
 */
export function bySlotMillisecond<T>(messages: readonly T[], slotOf: (message: T) => Date): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const message of messages) {
    const slot = slotOf(message).getTime();
    const group = groups.get(slot);
    if (group) group.push(message);
    else groups.set(slot, [message]);
  }
  return groups;
}
