import { AsyncLocalStorage } from 'node:async_hooks';

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * Ids that follow one piece of work: the request id names one HTTP request; the correlation id
 * names the whole chain (HTTP call, the events it causes, their consumers) and travels in event
 * headers.
 */
export interface CorrelationContext {
  readonly requestId: string;
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** The ids of the work this code runs for, or undefined outside any request or message. */
export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

/** Runs `work` with `context` as the current correlation (e.g. while handling a Kafka message). */
export function runWithCorrelation<R>(context: CorrelationContext, work: () => R): R {
  return storage.run(context, work);
}
