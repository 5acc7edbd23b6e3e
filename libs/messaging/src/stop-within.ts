import { MessagingLogger } from './logger';

/** How long a Kafka client's stop is waited for: a consumer, the outbox relay. */
export const KAFKA_STOP_TIMEOUT_MS = 10_000;

/**
 * Waits for a stop at most `ms`. A Kafka client's stop waits for the broker (leaving the group, a send's
 * retries) and for the batch in hand; a broker that stalls or a handler stuck on a lock would otherwise hold
 * the whole shutdown past any grace period. What is abandoned is done again: rows stay unpublished in the
 * outbox, offsets stay uncommitted and the inbox recognises what was already applied.
 */
export async function stopWithin(what: string, stopping: Promise<unknown>, ms: number, logger: MessagingLogger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const outcome = await Promise.race([stopping.then(() => 'stopped' as const), late]);
    if (outcome === 'stopped') return true;
    logger.warn(`${what}: not stopped after ${ms} ms; shutting down without waiting for it (its work is redone after restart)`);
    // It may still fail later, after nobody waits for it.
    stopping.catch((error: unknown) => logger.warn(`${what}: failed while stopping after its deadline`, { error: String(error) }));
    return false;
  } finally {
    clearTimeout(timer);
  }
}
