/**
 * A small pool of open sessions (SFTP connections) shared by a destination's concurrent calls:
 * at most `size` open at once, idle ones reused, broken ones thrown away instead of returned.
 */
export class SessionPool<S> {
  private readonly idle: S[] = [];
  private readonly waiting: Array<{ resolve: (session: S) => void; reject: (error: unknown) => void }> = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly create: () => Promise<S>,
    private readonly destroy: (session: S) => Promise<void>,
    /** False for an idle session whose connection died meanwhile: it is thrown away, not handed out. */
    private readonly alive: (session: S) => boolean = () => true,
  ) {}

  /** Runs `work` with a session; a session whose work threw an error `isBroken` says ends the session is discarded. */
  async use<T>(work: (session: S) => Promise<T>, isBroken: (error: unknown) => boolean): Promise<T> {
    const session = await this.acquire();
    try {
      const result = await work(session);
      this.release(session);
      return result;
    } catch (error) {
      if (isBroken(error)) this.discard(session);
      else this.release(session);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('The destination was closed'));
    await Promise.all(this.idle.splice(0).map((session) => this.destroy(session).catch(() => undefined)));
  }

  private async acquire(): Promise<S> {
    if (this.closed) throw new Error('The destination was closed');
    for (let idle = this.idle.pop(); idle !== undefined; idle = this.idle.pop()) {
      if (this.alive(idle)) return idle;
      this.open--;
      void this.destroy(idle).catch(() => undefined);
    }
    if (this.open < this.size) {
      this.open++;
      try {
        return await this.create();
      } catch (error) {
        this.open--;
        this.wakeNext();
        throw error;
      }
    }
    return new Promise<S>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(session: S): void {
    if (this.closed) {
      this.open--;
      void this.destroy(session).catch(() => undefined);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(session);
    else this.idle.push(session);
  }

  private discard(session: S): void {
    this.open--;
    void this.destroy(session).catch(() => undefined);
    this.wakeNext();
  }

  /** A slot came free: the next waiter opens a session of its own. */
  private wakeNext(): void {
    const waiter = this.waiting.shift();
    if (!waiter) return;
    this.acquire().then(waiter.resolve, waiter.reject);
  }
}
