export interface CoalescedWritesOptions<W> {
  /** Statements running at once; writes arriving meanwhile wait and go together in the next one. */
  maxInFlight: number;
  /** Writes in one statement at most. */
  maxBatch: number;
  /**
   * Splits the writes taken together into groups that may each share a statement (e.g. no two claiming one
   * key), returning the very write objects given; the groups run one after the other, each on its own.
   * Default: one group.
   */
  groups?: (writes: W[]) => W[][];
}

interface Pending<W, R> {
  write: W;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot insert: concurrent callers' writes share one statement. While fewer than
 * `maxInFlight` statements run, a write starts its own at once (no added latency when idle); once they
 * all run, writes queue and the next free slot takes up to `maxBatch` of them in one statement. Under
 * load that turns N round trips, plans and commits into one (npm run bench:ingest).
 *
 * `run(writes)` returns one result per write, in order, and must be atomic (one statement): when a
 * statement of several writes fails, nothing of it was stored, and each write is retried alone, so one
 * caller's bad row never fails another caller's request.
 */
export class CoalescedWrites<W, R> {
  private readonly queue: Pending<W, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (writes: W[]) => Promise<R[]>,
    private readonly options: CoalescedWritesOptions<W>,
  ) {
    if (options.maxInFlight < 1 || options.maxBatch < 1) throw new Error('CoalescedWrites: maxInFlight and maxBatch must be at least 1');
  }

  write(write: W): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.startNext();
    });
  }

  private startNext(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.startNext();
      });
    }
  }

  private async runBatch(batch: Pending<W, R>[]): Promise<void> {
    if (!this.options.groups || batch.length === 1) return this.runGroup(batch);
    const pendingOf = new Map(batch.map((pending) => [pending.write, pending]));
    for (const group of this.options.groups(batch.map((pending) => pending.write))) {
      await this.runGroup(group.map((write) => pendingOf.get(write) as Pending<W, R>));
    }
  }

  private async runGroup(batch: Pending<W, R>[]): Promise<void> {
    try {
      settle(batch, await this.runChecked(batch.map((pending) => pending.write)));
    } catch (error) {
      if (batch.length === 1) {
        (batch[0] as Pending<W, R>).reject(error);
        return;
      }
      // Which write failed it is unknown: each one again on its own, so only that one fails.
      await Promise.all(batch.map((pending) => this.runChecked([pending.write]).then((results) => settle([pending], results), pending.reject)));
    }
  }

  private async runChecked(writes: W[]): Promise<R[]> {
    const results = await this.run(writes);
    if (results.length !== writes.length) throw new Error(`CoalescedWrites: ${results.length} results for ${writes.length} writes`);
    return results;
  }
}

function settle<W, R>(batch: Pending<W, R>[], results: R[]): void {
  batch.forEach((pending, i) => pending.resolve(results[i] as R));
}
