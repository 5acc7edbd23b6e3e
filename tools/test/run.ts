/**
 * `npm test`: lint every project, type-check, run vitest; then print, as the very last line, the line CI
 * reads — `N passed, N failed, N skipped` — computed from vitest's per-test JSON results plus lint,
 * type-check and build as one check each. Every step runs even when an earlier one failed. Extra arguments go to
 * vitest: `npm test -- apps/crm-sync`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { addTallies, checkTally, summaryLine, type Tally, type VitestJsonReport, vitestTally } from './summary';

const root = resolve(__dirname, '../..');
const vitestJson = join(root, 'tmp', 'test-results', 'vitest.json');

function bin(name: string): string {
  return join(root, 'node_modules', '.bin', name);
}

/** Runs one step with the console attached; resolves with its exit code (a signal counts as failure). */
function runStep(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  console.log(`\n[test] ${title}: ${relative(root, command)} ${args.join(' ')}`);
  return new Promise((resolveStep) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.once('error', (error) => {
      console.error(`[test] ${title} could not start: ${error.message}`);
      resolveStep(127);
    });
    child.once('exit', (code, signal) => resolveStep(code ?? (signal ? 1 : 0)));
  });
}

function readVitestReport(): VitestJsonReport | undefined {
  if (!existsSync(vitestJson)) return undefined;
  try {
    return JSON.parse(readFileSync(vitestJson, 'utf8')) as VitestJsonReport;
  } catch (error) {
    console.error(`[test] could not read ${relative(root, vitestJson)}: ${(error as Error).message}`);
    return undefined;
  }
}

function describeCheck(name: string, exitCode: number): string {
  return `[test] ${name}: ${exitCode === 0 ? 'passed' : `failed (exit ${exitCode})`}`;
}

async function main(): Promise<Tally> {
  const vitestArgs = process.argv.slice(2);

  const nxEnv = { NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
  const projectsLintExit = await runStep('lint', bin('nx'), ['run-many', '-t', 'lint', '--outputStyle=static'], nxEnv);
  // tools/ is not an Nx project, so it is linted on its own.
  const toolsLintExit = await runStep('lint tools', bin('eslint'), ['tools', '--max-warnings=0']);
  const lintExit = projectsLintExit || toolsLintExit;
  const typeCheckExit = await runStep('type-check', bin('tsc'), ['-p', 'tsconfig.check.json']);
  // End-to-end tests run the services as built processes.
  const buildExit = await runStep('build', bin('nx'), ['run-many', '-t', 'build', '--outputStyle=static'], nxEnv);

  // A stale report from an earlier run must never be counted as this run's results.
  rmSync(vitestJson, { force: true });
  mkdirSync(dirname(vitestJson), { recursive: true });
  const vitestExit = await runStep('vitest', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
    ...vitestArgs,
  ]);
  const report = readVitestReport();
  const tests = vitestTally(report, vitestExit);

  console.log('');
  console.log(describeCheck('lint', lintExit));
  console.log(describeCheck('type-check', typeCheckExit));
  console.log(describeCheck('build', buildExit));
  console.log(
    `[test] vitest: ${summaryLine(tests)}` +
      (report ? ` (${relative(root, vitestJson)})` : ` (no JSON results; vitest exited ${vitestExit} before reporting)`),
  );
  return addTallies(checkTally(lintExit), checkTally(typeCheckExit), checkTally(buildExit), tests);
}

main().then(
  (total) => {
    console.log(summaryLine(total));
    process.exitCode = total.failed > 0 ? 1 : 0;
  },
  (error: unknown) => {
    console.error(error);
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    process.exitCode = 1;
  },
);
