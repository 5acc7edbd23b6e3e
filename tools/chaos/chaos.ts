/**
 * `npm run chaos`: the chaos run (issue 12) against this machine's services as built processes, a Postgres cluster of
 * its own and Kafka from KAFKA_BROKERS (else a mock broker started here). Prints the table; exits 1 when anything was
 * lost or doubled, 2 on a bad option.
 */
import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { parseBrokerList, startMockKafka } from '@switchboard/testing';
import { buildServices } from '../start/build-services';
import { CHAOS_USAGE, parseChaosArgs, type ChaosCliOptions } from './chaos-options';
import { brokerRestartLine, CHAOS_SERVICES, runChaos } from './chaos-run';
import { formatTallies, lostOrDoubled } from './tally';

const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);

async function main(): Promise<number> {
  let options: ChaosCliOptions;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    log(`${(error as Error).message}\n${CHAOS_USAGE}`);
    return 2;
  }
  const workspaceRoot = findWorkspaceRoot();
  if (options.build) {
    log('building the services (nx, cached)');
    await buildServices({ workspaceRoot, projects: [...CHAOS_SERVICES] });
  }
  const external = process.env['KAFKA_BROKERS'] ? parseBrokerList(process.env['KAFKA_BROKERS']) : undefined;
  const mock = external ? undefined : await startMockKafka();
  const kafkaBrokers = external ?? mock?.brokers ?? [];
  log(external ? `Kafka: ${kafkaBrokers.join(',')} (KAFKA_BROKERS)` : `Kafka: a mock broker (kcat) at ${kafkaBrokers.join(',')}`);
  try {
    const report = await runChaos({ ...options, workspaceRoot, kafkaBrokers, log });
    process.stdout.write(`\n${formatTallies(report.tallies)}\n\n`);
    process.stdout.write(
      `${report.acceptedUnits} accepted units; seed ${options.seed}; ${report.kills.length} SIGKILLs (${report.kills.join(', ')}); Postgres restarted ${report.postgresRestarts}×; ` +
        `workload ${Math.round(report.workloadMs / 1_000)} s, drain ${Math.round(report.drainMs / 1_000)} s\n${brokerRestartLine(Boolean(external))}\n`,
    );
    return lostOrDoubled(report.tallies) ? 1 : 0;
  } finally {
    await mock?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
