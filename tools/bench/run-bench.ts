// The framework-free entry: the library index loads NestJS, whose decorators tsx cannot compile.
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { randomUUID } from 'node:crypto';
import { startBaseline } from './baseline-process';
import { BASELINE_DELIVERY_TABLE, createBaselineTable, SERVICE_DELIVERY_TABLE } from './bench-database';
import { CleanupStack, withCleanup } from './cleanup-stack';
import { benchConfiguration, CREATE_DELIVERY_PATH, createDeliveryBodyTemplate } from './create-request';
import { compareTargets, LoadBenchOptions, measureTargets, POOL_SIZE, startServiceUnderLoad } from './load-bench';
import { withRequestId } from './load-protocol';
import { BenchReport, TargetName } from './report';

const SERVICE = 'proactive-delivery';

export type BenchOptions = LoadBenchOptions;

/** Runs the whole benchmark and always cleans up (processes, temp files, the database) before returning. */
export function runBench(options: BenchOptions): Promise<BenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** One request before the load: a refusal (401, 422 …) is reported with its body instead of a run of errors. */
async function probeCreate(target: TargetName, baseUrl: string, token: string, body: string): Promise<void> {
  const answer = await postJson(`${baseUrl}${CREATE_DELIVERY_PATH}`, token, body);
  if (answer.status !== 200 || !answer.body.includes('"DeliveryId"')) {
    throw new Error(`${target} refused the benchmark's create request (${answer.status}): ${answer.body.slice(0, 2_000)}`);
  }
}

async function benchWith(options: BenchOptions, cleanup: CleanupStack): Promise<BenchReport> {
  const stack = await startServiceUnderLoad(options, cleanup, {
    name: SERVICE,
    env: { VOICE_SIMULATOR_ENABLED: 'true' },
    prepareDatabase: (url) => createBaselineTable(url, SERVICE_DELIVERY_TABLE, BASELINE_DELIVERY_TABLE),
  });
  const { database, service, keysDir } = stack;

  const tenantId = randomUUID();
  const [adminToken, callerToken] = await Promise.all([
    mintDevToken({ tenantId, roles: ['Administrator'], keysDir }),
    mintDevToken({ tenantId, roles: ['OmnichannelSupervisor'], keysDir }),
  ]);
  const created = await postJson(`${service.url}/proactive/configurations`, adminToken, benchConfiguration());
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`${SERVICE} refused the benchmark's configuration (${created.status}): ${created.body.slice(0, 2_000)}`);
  }
  const configurationId = (JSON.parse(created.body) as { id: string }).id;
  const body = createDeliveryBodyTemplate(configurationId);

  const baseline = await startBaseline({
    workspaceRoot: options.workspaceRoot,
    entry: 'tools/bench/baseline-server.ts',
    databaseUrl: database.url,
    table: BASELINE_DELIVERY_TABLE,
    tenantId,
    poolSize: POOL_SIZE,
  });
  cleanup.add('stop the baseline server', baseline.stop);
  await probeCreate('baseline', baseline.url, callerToken, withRequestId(body, 'probe'));
  await probeCreate('service', service.url, callerToken, withRequestId(body, 'probe'));

  const load = (url: string) => ({
    url: `${url}${CREATE_DELIVERY_PATH}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${callerToken}` },
    body,
    idField: 'DeliveryId',
  });
  const measured = await measureTargets(options, cleanup, stack, [
    // The baseline first: the service's outbox relay may still be publishing its backlog after its run.
    { target: 'baseline', process: baseline.process, load: load(baseline.url), table: BASELINE_DELIVERY_TABLE },
    { target: 'service', process: service.process, load: load(service.url), table: SERVICE_DELIVERY_TABLE },
  ]);
  return compareTargets(
    options,
    {
      title: 'create-API benchmark',
      database: database.name,
      body: 'a valid request (+12125550123, one window tomorrow) whose InputAttributes.benchRequestId differs per request, so every request inserts',
      notes: ['dispatcher: idle: the windows open tomorrow, so nothing is due during the run (it still polls every DISPATCH_POLL_MS)'],
    },
    measured,
  );
}
