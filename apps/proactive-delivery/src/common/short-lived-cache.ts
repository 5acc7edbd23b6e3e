import { LRUCache } from 'lru-cache';

/**
 * How long the create API may use a configuration or tenant settings it read: changes made through
 * this process are seen at once (entries are dropped on write); changes made through another
 * replica within this many milliseconds. The do-not-call list is never cached: consent is exact.
 */
export const READ_CACHE_TTL_MS = 5_000;

/** A small bounded cache of read-mostly rows for the hot create path (lru-cache with a TTL). */
export function shortLivedCache<V extends object>(): LRUCache<string, V> {
  return new LRUCache<string, V>({ max: 10_000, ttl: READ_CACHE_TTL_MS });
}
