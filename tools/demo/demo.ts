/**
 * `npm run demo [-- e1 e2 e3 e4]`: drives the end-to-end scenarios against the stack `npm start` runs (found
 * through the state file it writes), printing a progress line per step with its timing and a closing table of
 * what each service did with links. Exits 1 naming the step that did not happen within its limit.
 */
import { Role } from '@switchboard/auth/dev-tokens';
import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { tenantClient } from '../start/admin-client';
import { readStackState, stateFilePath } from '../start/stack-state';
import { chooseScenarios } from './choose-scenarios';
import { ALL_SCENARIOS, type DemoContext } from './scenarios';
import { type Evidence, evidenceTable, formatSeconds, runSteps, StepFailed } from './steps';

const say = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const scenarios = chooseScenarios(ALL_SCENARIOS, process.argv.slice(2));
  const state = await readStackState(stateFilePath(process.env, findWorkspaceRoot(__dirname)));
  const tenant = state.demoTenant;
  if (!tenant) throw new Error('This stack was started with --no-demo: restart it with `npm start` (without --no-demo) to get the demo tenant.');
  const evidence: Evidence[] = [];
  const client = tenantClient({ services: state.services, tenantId: tenant.tenantId, devKeysDir: state.devKeysDir, defaultRoles: [Role.Administrator] });
  const started = Date.now();
  say(`Switchboard demo — ${scenarios.map((scenario) => scenario.title).join(', ')} against the stack of pid ${state.pid} (tenant ${tenant.tenantId})`);
  for (const scenario of scenarios) {
    say();
    say(scenario.title);
    const context: DemoContext = { state, tenant, client, record: (entry) => evidence.push({ scenario: scenario.id.toUpperCase(), ...entry }) };
    await runSteps(scenario.id.toUpperCase(), scenario.steps(), context, say);
  }
  say();
  say(`All ${scenarios.length} scenario(s) ran in ${formatSeconds(Date.now() - started)}. What each service did:`);
  say();
  say(evidenceTable(evidence));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StepFailed) process.stderr.write(`\n✗ ${error.message}\n`);
    else process.stderr.write(`\n✗ npm run demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
