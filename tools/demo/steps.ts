/** One thing a scenario waits for; `run` resolves with a short detail (an id, a status) or fails. */
export interface Step<C> {
  name: string;
  /** How long it may take before the demo says it did not happen (may depend on the stack, e.g. its delays). */
  limitMs: number | ((context: C) => number);
  run(context: C, signal: AbortSignal): Promise<string | void>;
}

/** What a service did, for the closing table: a link to look at it. */
export interface Evidence {
  scenario: string;
  service: string;
  did: string;
  link: string;
}

export interface StepOutcome {
  scenario: string;
  step: string;
  ms: number;
  ok: boolean;
  detail: string;
}

/** The step that did not happen, named, with why. */
export class StepFailed extends Error {
  constructor(
    readonly scenario: string,
    readonly step: string,
    readonly reason: string,
  ) {
    super(`${scenario} step "${step}" did not happen: ${reason}`);
    this.name = 'StepFailed';
  }
}

const POLL_MS = 250;

/**
 * Runs the steps in order, printing one progress line per step as it ends (with its time), and stops at the
 * first step that fails or outlives its limit with a StepFailed naming it.
 */
export async function runSteps<C>(scenario: string, steps: Step<C>[], context: C, print: (line: string) => void, now: () => number = Date.now): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const [index, step] of steps.entries()) {
    const started = now();
    const label = { scenario, index: index + 1, total: steps.length, step: step.name };
    try {
      const detail = (await withinLimit(step, context)) ?? '';
      const outcome = { scenario, step: step.name, ms: now() - started, ok: true, detail };
      outcomes.push(outcome);
      print(progressLine({ ...label, ms: outcome.ms, ok: true, detail }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      print(progressLine({ ...label, ms: now() - started, ok: false, detail: reason }));
      throw new StepFailed(scenario, step.name, reason);
    }
  }
  return outcomes;
}

async function withinLimit<C>(step: Step<C>, context: C): Promise<string | void> {
  const controller = new AbortController();
  const limitMs = typeof step.limitMs === 'function' ? step.limitMs(context) : step.limitMs;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`not within ${formatSeconds(limitMs)}`));
    }, limitMs);
  });
  try {
    return await Promise.race([step.run(context, controller.signal), limit]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * Asks `check` again every 250 ms until it answers something, or the step's limit aborts it. The last
 * error `check` threw (a refused connection, an unexpected answer) is kept for the failure message.
 */
export async function waitFor<T>(signal: AbortSignal, what: string, check: () => Promise<T | undefined>): Promise<T> {
  let lastError: unknown;
  while (!signal.aborted) {
    try {
      const found = await check();
      if (found !== undefined) return found;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${what} did not happen${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Wide enough for the longest step name, so the ticks and timings line up. */
const STEP_COLUMN = 64;

export function progressLine(line: { scenario: string; index: number; total: number; step: string; ms: number; ok: boolean; detail: string }): string {
  const head = `  ${line.scenario} [${line.index}/${line.total}] ${line.step} `;
  const dots = head.length < STEP_COLUMN ? '.'.repeat(STEP_COLUMN - head.length) : '';
  const status = line.ok ? `✓ ${formatSeconds(line.ms).padStart(6)}` : `✗ after ${formatSeconds(line.ms)}`;
  return `${head}${dots} ${status}${line.detail ? `  ${line.detail}` : ''}`;
}

/** The closing table: per scenario, what each service did and where to see it. */
export function evidenceTable(rows: Evidence[]): string {
  const header = ['scenario', 'service', 'what it did', 'see it'];
  const cells = rows.map((row) => [row.scenario, row.service, row.did, row.link]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
  const line = (values: string[]) => `  ${values.map((value, column) => value.padEnd(widths[column])).join('   ')}`.trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
