import { LRUCache } from 'lru-cache';

export interface ReadThroughCacheOptions {
  /** How long a value read is used before it is read again, in milliseconds. */
  ttlMs: number;
  /** Entries kept at most; the least recently used go first. Default 10,000. */
  max?: number;
  /** The time in milliseconds (default Date.now): a service passes its Clock's so that tests can move past the TTL. */
  now?: () => number;
}

/**
 * A bounded TTL cache of read-mostly rows (tenant settings, configurations, connections) for hot paths, that
 * reads each key once however many requests miss it at the same moment: when an entry expires under load, the
 * concurrent requests share one read instead of each sending their own (50 connections made 50 reads, every
 * TTL, in npm run bench). `forget` drops a key and keeps a read already under way from storing what it found,
 * since that may predate the change that caused the forget.
 */
export class ReadThroughCache<V extends object> {
  private readonly values: LRUCache<string, V>;
  private readonly reads = new Map<string, Promise<V>>();

  constructor({ ttlMs, max = 10_000, now }: ReadThroughCacheOptions) {
    this.values = new LRUCache<string, V>({ max, ttl: ttlMs, ...(now && { ttlResolution: 0, perf: { now } }) });
  }

  /** The remembered value, or the one `read` returns (shared with every caller asking while it runs). */
  get(key: string, read: () => Promise<V>): Promise<V> {
    const cached = this.values.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.reads.get(key) ?? this.startRead(key, read);
  }

  forget(key: string): void {
    this.values.delete(key);
    this.reads.delete(key);
  }

  private startRead(key: string, read: () => Promise<V>): Promise<V> {
    const pending: Promise<V> = read().then(
      (value) => {
        if (this.reads.get(key) === pending) {
          this.reads.delete(key);
          this.values.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.reads.get(key) === pending) this.reads.delete(key);
        throw error;
      },
    );
    this.reads.set(key, pending);
    return pending;
  }
}
