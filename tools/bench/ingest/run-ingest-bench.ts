// The framework-free entries: the library index loads NestJS, whose decorators tsx cannot compile.
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { SIGNATURE_HEADER, signBody } from '@switchboard/auth/hmac';
import { withConnection } from '@switchboard/persistence/migrate';
import { randomBytes, randomUUID } from 'node:crypto';
import { startBaseline } from '../baseline-process';
import { createBaselineTable } from '../bench-database';
import { CleanupStack, withCleanup } from '../cleanup-stack';
import { compareTargets, LoadBenchOptions, measureTargets, POOL_SIZE, startServiceUnderLoad } from '../load-bench';
import { withRequestId } from '../load-protocol';
import { BenchReport, TargetName } from '../report';
import { BASELINE_EVENT_TABLE, INGEST_PATH, NEW_CALL_TEMPLATE, SERVICE_EVENT_TABLE, TENANT_HEADER } from './ingest-request';

const SERVICE = 'event-bridge';

/** Runs the ingest benchmark and always cleans up (processes, temp files, the database) before returning. */
export function runIngestBench(options: LoadBenchOptions): Promise<BenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

/** Gives the tenant its ingress secret the way an administrator does (PUT /admin/ingress-secret). */
async function setIngressSecret(serviceUrl: string, token: string, secret: string): Promise<void> {
  const response = await fetch(`${serviceUrl}/admin/ingress-secret`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ secret }),
  });
  if (response.status !== 204) throw new Error(`${SERVICE} refused the benchmark's ingress secret (${response.status}): ${(await response.text()).slice(0, 2_000)}`);
}

/** One signed post before the load: a refusal (401, 400 …) is reported with its body instead of a run of errors. */
async function probeIngest(target: TargetName, baseUrl: string, tenantId: string, secret: string): Promise<void> {
  const body = withRequestId(NEW_CALL_TEMPLATE, `probe-${target}`);
  const response = await fetch(`${baseUrl}${INGEST_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TENANT_HEADER]: tenantId, [SIGNATURE_HEADER]: signBody(secret, body) },
    body,
  });
  const text = await response.text();
  if (response.status !== 202 || !text.includes('"eventId"')) {
    throw new Error(`${target} refused the benchmark's signed New_Call (${response.status}): ${text.slice(0, 2_000)}`);
  }
}

/** Outbox rows the relay had not sent to Kafka yet: a backlog left by the run is work its figures do not include. */
function unpublishedEvents(databaseUrl: string): Promise<number> {
  return withConnection(databaseUrl, async (client) => {
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM event_bridge.outbox_event WHERE published_at IS NULL');
    return Number(rows[0].count);
  });
}

async function benchWith(options: LoadBenchOptions, cleanup: CleanupStack): Promise<BenchReport> {
  const stack = await startServiceUnderLoad(options, cleanup, {
    name: SERVICE,
    prepareDatabase: (url) => createBaselineTable(url, SERVICE_EVENT_TABLE, BASELINE_EVENT_TABLE),
  });
  const { database, service, keysDir } = stack;

  const tenantId = randomUUID();
  const secret = randomBytes(32).toString('hex');
  await setIngressSecret(service.url, await mintDevToken({ tenantId, roles: ['Administrator'], keysDir }), secret);

  const baseline = await startBaseline({
    workspaceRoot: options.workspaceRoot,
    entry: 'tools/bench/ingest/ingest-baseline-server.ts',
    databaseUrl: database.url,
    table: BASELINE_EVENT_TABLE,
    tenantId,
    poolSize: POOL_SIZE,
    env: { BASELINE_HMAC_SECRET: secret },
  });
  cleanup.add('stop the baseline server', baseline.stop);
  await probeIngest('baseline', baseline.url, tenantId, secret);
  await probeIngest('service', service.url, tenantId, secret);

  const load = (url: string) => ({
    url: `${url}${INGEST_PATH}`,
    headers: { 'content-type': 'application/json', [TENANT_HEADER]: tenantId },
    body: NEW_CALL_TEMPLATE,
    idField: 'eventId',
    hmacSecret: secret,
  });
  const measured = await measureTargets(options, cleanup, stack, [
    // The baseline first: the service's outbox relay may still be publishing its backlog after its run.
    { target: 'baseline', process: baseline.process, load: load(baseline.url), table: BASELINE_EVENT_TABLE },
    { target: 'service', process: service.process, load: load(service.url), table: SERVICE_EVENT_TABLE },
  ]);
  const backlog = await unpublishedEvents(database.url);
  return compareTargets(
    options,
    {
      title: 'signed ingest benchmark (POST /adapter-events)',
      database: database.name,
      body: "the source's New_Call sample with a call_id of its own per request (every request inserts), each signed when sent (X-Switchboard-Signature, fresh t)",
      notes: [
        'baseline: node:http + pg, the same HMAC check (verifySignature), JSON.parse and one INSERT … ON CONFLICT DO NOTHING into a copy of adapter_event',
        'service: signature guard, schema validation, the event row and its outbox row; its relay also ships every event to Kafka (agent.events.v1) during the run',
        `relay backlog when the service's run ended: ${backlog} events not yet on Kafka`,
      ],
    },
    measured,
  );
}
