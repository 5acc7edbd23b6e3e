import { describe, expect, it } from 'vitest';
import { addTallies, checkTally, summaryLine, tallyVitestReport, vitestTally, type VitestJsonReport } from './summary';

const report = (...files: VitestJsonReport['testResults']): VitestJsonReport => ({ testResults: files });
const file = (status: string, ...tests: string[]) => ({ name: `f-${Math.random()}`, status, assertionResults: tests.map((s) => ({ status: s })) });

describe('npm test summary line (CI reads the closing line)', () => {
  it('counts every test by its own status; skipped, todo, pending and disabled are skipped', () => {
    const tally = tallyVitestReport(
      report(file('passed', 'passed', 'passed', 'skipped', 'todo'), file('failed', 'passed', 'failed', 'pending', 'disabled')),
    );
    expect(tally).toEqual({ passed: 3, failed: 1, skipped: 4 });
  });

  it('counts a file that failed without a failing test (import error, hook error) as one failure', () => {
    expect(tallyVitestReport(report(file('failed'), file('failed', 'passed', 'passed')))).toEqual({ passed: 2, failed: 2, skipped: 0 });
  });

  it("counts one failure when vitest fails with no failing test or no report at all", () => {
    expect(vitestTally(report(file('passed', 'passed')), 1)).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(vitestTally(undefined, 1)).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(vitestTally(report(file('failed', 'failed')), 1)).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(vitestTally(report(file('passed', 'passed')), 0)).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });

  it('adds lint and type-check as one check each and prints the exact closing line', () => {
    const total = addTallies(checkTally(0), checkTally(2), { passed: 10, failed: 0, skipped: 3 });
    expect(summaryLine(total)).toBe('11 passed, 1 failed, 3 skipped');
  });
});
