/**
 * At most `limit` calls under way at once; the others wait their turn, first come first served. The sender's
 * provider calls pass through one: a claimed round's hundreds of messages would otherwise all start their SDK
 * call and queue inside undici (64 connections per origin), each holding its request objects, promise chains and
 * timer live meanwhile, which the garbage collector then copies and promotes; waiting here, a message costs an
 * entry in a queue.
 */
export class CallGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Calls under way and waiting (tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    // The call that ends hands its turn to this one (running stays as it is).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
