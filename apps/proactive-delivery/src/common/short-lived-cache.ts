import { ReadThroughCache } from '@switchboard/service-kit';

/**
 * How long the create API may use a configuration or tenant settings it read: changes made through
 * this process are seen at once (entries are dropped on write); changes made through another
 * replica within this many milliseconds. The do-not-call list is never cached: consent is exact.
 */
export const READ_CACHE_TTL_MS = 5_000;

/** A small bounded cache of read-mostly rows for the hot create path: one read per key however many requests miss it. */
export function shortLivedCache<V extends object>(): ReadThroughCache<V> {
  return new ReadThroughCache<V>({ ttlMs: READ_CACHE_TTL_MS });
}
