import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  /** "ok", or why the check failed. */
  checks: Record<string, string>;
}

/** How long one check may take before it counts as failed, unless registered with its own. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

/**
 * Readiness checks contributed by other modules, e.g. in a provider's constructor:
 * `readiness.register('db', () => prisma.$queryRaw\`SELECT 1\`.then(() => undefined))`.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, { check: ReadinessCheck; timeoutMs: number }>();

  register(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, { check, timeoutMs: options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS });
  }

  /** Runs every check at once; one failure or timeout makes the whole report unavailable. */
  async run(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, timeoutMs }]) => [name, await outcomeOf(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, outcome]) => outcome === 'ok') ? 'ok' : 'unavailable';
    return { status, checks };
  }
}

async function outcomeOf(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => 'ok'), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
