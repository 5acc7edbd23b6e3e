/** Totals for the closing line CI reads: `N passed, N failed, N skipped`. */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/** The part of vitest's JSON reporter output (Jest-compatible shape) the summary needs. */
export interface VitestJsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ status: string }>;
  }>;
}

export const emptyTally = (): Tally => ({ passed: 0, failed: 0, skipped: 0 });

export function addTallies(...tallies: Tally[]): Tally {
  return tallies.reduce(
    (sum, tally) => ({ passed: sum.passed + tally.passed, failed: sum.failed + tally.failed, skipped: sum.skipped + tally.skipped }),
    emptyTally(),
  );
}

/** A whole-command check (lint, type-check) counts as one test. */
export function checkTally(exitCode: number): Tally {
  return exitCode === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

/**
 * One entry per test from vitest's own results. A file that failed without any failing test (it did not
 * import, or a beforeAll/afterAll hook threw) counts as one failure, so it can never vanish from the total.
 */
export function tallyVitestReport(report: VitestJsonReport): Tally {
  const tally = emptyTally();
  for (const file of report.testResults) {
    let failedInFile = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') tally.passed++;
      else if (test.status === 'failed') failedInFile++;
      else tally.skipped++; // skipped, pending, todo, disabled
    }
    tally.failed += file.status === 'failed' && failedInFile === 0 ? 1 : failedInFile;
  }
  return tally;
}

/**
 * vitest's exit code can report what no test result shows (an unhandled error, a failed globalSetup, no test
 * files at all): then the run still counts one failure.
 */
export function vitestTally(report: VitestJsonReport | undefined, exitCode: number): Tally {
  const tally = report ? tallyVitestReport(report) : emptyTally();
  if (exitCode !== 0 && tally.failed === 0) tally.failed = 1;
  return tally;
}

export function summaryLine(tally: Tally): string {
  return `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`;
}
