import { describe, expect, it } from 'vitest';
import { chooseScenarios } from './choose-scenarios';
import { evidenceTable, progressLine, runSteps, type Step, StepFailed, waitFor } from './steps';

/** A clock the steps advance, so timings are exact. */
function fakeClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('npm run demo: steps, progress lines and the summary table (issue 12)', () => {
  it('prints one progress line per step, as each ends, with its timing and detail', async () => {
    const clock = fakeClock();
    const printed: string[] = [];
    const steps: Step<void>[] = [
      { name: 'callback requested', limitMs: 1_000, run: async () => {
        clock.advance(120);
        return 'delivery d-1';
      } },
      { name: 'outcome recorded', limitMs: 1_000, run: async () => void clock.advance(2_340) },
    ];

    const outcomes = await runSteps('E1', steps, undefined, (line) => printed.push(line), clock.now);

    expect(outcomes.map(({ step, ms, ok }) => [step, ms, ok])).toEqual([
      ['callback requested', 120, true],
      ['outcome recorded', 2_340, true],
    ]);
    expect(printed).toEqual([
      '  E1 [1/2] callback requested .................................. ✓  0.1 s  delivery d-1',
      '  E1 [2/2] outcome recorded .................................... ✓  2.3 s',
    ]);
  });

  it('stops at the first failing step, names it, and runs nothing after it', async () => {
    const printed: string[] = [];
    let after = false;
    const steps: Step<void>[] = [
      { name: 'rule fired', limitMs: 1_000, run: () => Promise.reject(new Error('the rule fired with outcome skipped')) },
      { name: 'SMS at the simulator', limitMs: 1_000, run: async () => void (after = true) },
    ];

    const failure = await runSteps('E2', steps, undefined, (line) => printed.push(line)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StepFailed);
    expect((failure as StepFailed).message).toBe('E2 step "rule fired" did not happen: the rule fired with outcome skipped');
    expect(printed).toEqual([expect.stringMatching(/^ {2}E2 \[1\/2\] rule fired \.+ ✗ after \d+\.\d s {2}the rule fired with outcome skipped$/)]);
    expect(after).toBe(false);
  });

  it('fails a step that outlives its limit (which may depend on the stack) and aborts its waiting', async () => {
    let polls = 0;
    const never: Step<{ limit: number }> = {
      name: 'e-mail sent',
      limitMs: (context) => context.limit,
      run: (_context, signal) =>
        waitFor(signal, 'the e-mail', async () => {
          polls += 1;
          return undefined;
        }),
    };

    const failure = (await runSteps('E3', [never], { limit: 300 }, () => undefined).catch((error: unknown) => error)) as StepFailed;

    expect(failure).toMatchObject({ scenario: 'E3', step: 'e-mail sent', reason: 'not within 0.3 s' });
    // The poll loop saw the abort and ended rather than polling on in the background.
    const pollsAtFailure = polls;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(polls).toBe(pollsAtFailure);
  });

  it('waitFor answers the first defined value and keeps the last error for the failure', async () => {
    let calls = 0;
    const found = await waitFor(new AbortController().signal, 'the third answer', async () => (++calls === 3 ? 'yes' : undefined));
    expect([found, calls]).toEqual(['yes', 3]);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(waitFor(controller.signal, 'the record', () => Promise.reject(new Error('ECONNREFUSED')))).rejects.toThrow('the record did not happen (last error: ECONNREFUSED)');
  });

  it('the summary table aligns scenario, service, what it did and the link', () => {
    const table = evidenceTable([
      { scenario: 'E1', service: 'proactive-delivery', did: 'dialed and completed the callback', link: 'http://127.0.0.1:3001/proactive/deliveries/d-1' },
      { scenario: 'E3', service: 'crm-sync (e-mail)', did: 'sent the outcome', link: 'http://127.0.0.2:3095/messages/1' },
    ]);

    expect(table.split('\n')).toEqual([
      '  scenario   service              what it did                         see it',
      '  --------   ------------------   ---------------------------------   ----------------------------------------------',
      '  E1         proactive-delivery   dialed and completed the callback   http://127.0.0.1:3001/proactive/deliveries/d-1',
      '  E3         crm-sync (e-mail)    sent the outcome                    http://127.0.0.2:3095/messages/1',
    ]);
  });

  it('progress lines keep long step names readable', () => {
    expect(progressLine({ scenario: 'E3', index: 7, total: 8, step: 'recording and metadata exported (after the delay)', ms: 11_000, ok: true, detail: '' })).toBe(
      '  E3 [7/8] recording and metadata exported (after the delay) ... ✓ 11.0 s',
    );
  });

  it('runs the scenarios named (any case, in the given order), all without names, and refuses unknown ones', () => {
    const all = [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }, { id: 'e4' }];
    expect(chooseScenarios(all, [])).toEqual(all);
    expect(chooseScenarios(all, ['--', 'E4', 'e1'])).toEqual([{ id: 'e4' }, { id: 'e1' }]);
    expect(() => chooseScenarios(all, ['e5'])).toThrow('Unknown scenario e5: choose from e1, e2, e3, e4.');
  });
});
