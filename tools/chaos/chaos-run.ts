import { Role } from '@switchboard/auth';
import { type SftpServer, SmtpPeer, startSftpServer, TwilioSimulator } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configurationExample } from '../../apps/proactive-delivery/src/configurations/configuration.example';
import { daytimeSample } from '../e2e/support/daytime-number';
import { CrashProbe } from '../e2e/support/crash-recovery';
import { startTestStack, type TestStack } from '../e2e/support/test-stack';
import { freePort } from '../stack/service-process';
import { startScratchPostgres, type ScratchPostgres } from './scratch-postgres';
import { type ChaosCliOptions } from './chaos-options';
import { adminOf, configureSessionTenant, connectExportFolder, runSession, type SessionLedger, sessionEffectsAt, sessionKinds, type SessionTenant, startSessionTenant } from './session-workload';
import { type KindTally, type KindUnits, tallyKind } from './tally';
import { VoiceRuntimePeer } from './voice-runtime-peer';
import { describeOutcome, ledger, notProcessed, paced, postJson, putBytes, seededRandom, sleep, untilAnswered } from './workload';

/** The command's options (see chaos-options.ts) and where the run takes place. */
export interface ChaosOptions extends Omit<ChaosCliOptions, 'build'> {
  workspaceRoot: string;
  kafkaBrokers: string[];
  log: (line: string) => void;
}

export interface ChaosReport {
  tallies: KindTally[];
  kills: string[];
  postgresRestarts: number;
  drainMs: number;
  workloadMs: number;
  /** Requests answered 2xx: deliveries, messages, file uploads, session and adapter events. */
  acceptedUnits: number;
}

export const CHAOS_SERVICES = ['proactive-delivery', 'outbound-messaging', 'storage-export', 'event-bridge', 'crm-sync'] as const;
const SERVICES = CHAOS_SERVICES;
type ChaosService = (typeof SERVICES)[number];
const SIGNING_SECRET = 'chaos-voice-runtime-signing-secret-0123456789';
const WEBHOOK_SECRET = 'chaos-voice-runtime-webhook-secret-0123456789';
// Only the simulator's address is allow-listed for provider calls (P2.5).
const TWILIO_HOST = '127.0.0.2';
const SMS_CUSTOMER = '+14155552671';
const SMS_MARKER = /^Chaos unit (\S+) /;
const CREATE_DELIVERY = '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery';
const INVOKE = '/api/data/v9.2/msdyn_InvokeOutboundAPI';
/** Services whose durable jobs (`<schema>.job`) a killed process leaves leased. */
const JOB_SCHEMAS: Partial<Record<ChaosService, string>> = { 'crm-sync': 'crm_sync', 'storage-export': 'storage_export' };
/** The outcome e-mail's and the metadata export's "15 minutes" after a session, shortened for the run. */
const AFTER_SESSION_SEC = '5';
/** Longer than the services' leases (below), so that a re-send after a crash still lands inside the drain's quiet time. */
const QUIET_MS = 25_000;
const LEASE_SECONDS = '10';
/** How long a unit is retried from its first try (a restart under load takes 10–20 s here). */
const RETRY_WINDOW_MS = 60_000;
const allDay = [{ start: '00:00', end: '24:00' }];

/**
 * The chaos run (issue 12): a mixed workload through the public APIs while a SIGKILL hits a random service every few
 * seconds (restarted at once) and the run's own Postgres is restarted once; then a bounded drain and a count of every
 * effect at the peers against what was accepted.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const postgres = await startScratchPostgres();
    cleanups.unshift(() => postgres.stop());
    log(`own Postgres cluster at ${new URL(postgres.url).host} (restarted mid-run)`);
    const twilio = await TwilioSimulator.start({ host: TWILIO_HOST, statusCallbacks: 'none', recordRequests: false });
    cleanups.unshift(() => twilio.close());
    const runtime = new VoiceRuntimePeer({
      signingSecret: SIGNING_SECRET,
      webhookSecret: WEBHOOK_SECRET,
      // Asked only once dials come, that is after the stack below has started.
      outcomesUrl: () => `${stack.url('proactive-delivery')}/proactive/voice-runtime/outcomes`,
    });
    const runtimeUrl = await runtime.start();
    cleanups.unshift(() => runtime.close());
    const sftp = await startSftpServer();
    cleanups.unshift(() => sftp.stop());
    const smtp = await SmtpPeer.start();
    cleanups.unshift(() => smtp.close());
    // Tenant B's metadata files also go to its CRM (tenant A's would drag its many recordings along).
    const tenants = [await startSessionTenant('A', randomUUID(), '+1212555', false), await startSessionTenant('B', randomUUID(), '+1646555', true)] as const;
    cleanups.unshift(() => Promise.all(tenants.map((tenant) => tenant.crm.close())));
    log(`starting ${SERVICES.join(', ')} as processes`);
    const stack = await startChaosStack(options, postgres, runtimeUrl, smtp);
    cleanups.unshift(() => stack.stop());
    return await driveUnderChaos(options, stack, postgres, { twilio, runtime, sftp, smtp, tenants });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
  }
}

async function startChaosStack(options: ChaosOptions, postgres: ScratchPostgres, runtimeUrl: string, smtp: SmtpPeer): Promise<TestStack> {
  // The download links storage-export hands to crm-sync name its address: the same after every restart.
  const storageExportPort = await freePort();
  return startTestStack([...SERVICES], {}, {
    workspaceRoot: options.workspaceRoot,
    ports: { 'storage-export': storageExportPort },
    databaseServer: postgres.url,
    kafkaBrokers: options.kafkaBrokers,
    serviceEnv: {
      'proactive-delivery': {
        DISPATCH_POLL_MS: '200',
        DIAL_LEASE_SECONDS: LEASE_SECONDS,
        VOICE_HTTP_URL: runtimeUrl,
        VOICE_HTTP_SIGNING_SECRET: SIGNING_SECRET,
        VOICE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
      'outbound-messaging': {
        OUTBOUND_HTTP_ALLOW: `${TWILIO_HOST}/32`,
        MESSAGING_QUIET_HOURS: 'off',
        INVOKE_REQUESTS_PER_HOUR: '100000000',
        SEND_POLL_MS: '100',
        SEND_LEASE_SECONDS: LEASE_SECONDS,
        // A Postgres restart or a kill must not use up a message's attempts.
        SEND_MAX_ATTEMPTS: '50',
        SEND_RETRY_INITIAL_MS: '500',
        SEND_RETRY_MAX_MS: '5000',
      },
      // sshd listens on loopback, which the SSRF guard refuses unless listed.
      'storage-export': { OUTBOUND_HTTP_ALLOW: '127.0.0.1', METADATA_EXPORT_DELAY_SEC: AFTER_SESSION_SEC, PUBLIC_BASE_URL: `http://127.0.0.1:${storageExportPort}` },
      // The CRM simulators too.
      'crm-sync': { OUTBOUND_HTTP_ALLOW: '127.0.0.1', OUTCOME_EMAIL_SMTP_URL: smtp.url, OUTCOME_EMAIL_DELAY_SEC: AFTER_SESSION_SEC },
    },
  });
}

interface Setup {
  tenantId: string;
  deliveryConfigId: string;
  messagingConfigId: string;
  /** A number prefix in a zone where it is daytime now (calls are only placed then). */
  numberPrefix: string;
  supervisorToken: string;
}

/** The peers whose effects are counted. */
interface Peers {
  twilio: TwilioSimulator;
  runtime: VoiceRuntimePeer;
  sftp: SftpServer;
  smtp: SmtpPeer;
  /** Two tenants' sessions, each with its own CRM, folder and outcome address. */
  tenants: readonly [SessionTenant, SessionTenant];
}

async function configure(stack: TestStack, { twilio, sftp, tenants }: Peers): Promise<Setup> {
  // Tenant A runs every kind of unit, tenant B sessions only.
  const tenantId = tenants[0].tenantId;
  const adminCall = adminOf(stack, tenantId);
  const admin = async (service: ChaosService, method: string, path: string, body: unknown) => (await adminCall(service, method, path, body)) as { id: string };
  const { number, zone } = daytimeSample();
  // Every delivery has its own number (the per-number frequency cap would otherwise refuse most), in the sample's zone.
  await admin('proactive-delivery', 'PUT', '/proactive/settings', { frequencyCap: { maxAttempts: 100, periodHours: 1 }, idempotencyPeriodSeconds: 600, phoneNumberValidation: 'lenient' });
  const deliveryConfig = await admin('proactive-delivery', 'POST', '/proactive/configurations', {
    ...configurationExample,
    name: 'chaos',
    outboundProfile: { ...configurationExample.outboundProfile, providerName: 'http' },
    timeZone: zone,
    contactHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    blackoutDates: [],
  });
  const template = await admin('outbound-messaging', 'POST', '/outbound/templates', { name: 'chaos', channelType: 'sms', defaultLocale: 'en-US', versions: { 'en-US': { text: 'Chaos unit {{CustomerName}} ({{CaseName}})' } } });
  const channel = await admin('outbound-messaging', 'POST', '/outbound/channels', {
    name: 'chaos',
    channelType: 'sms',
    provider: 'twilio',
    sender: '+14155550182',
    messagesPerSecond: 10_000,
    account: { accountSid: twilio.account.accountSid, apiBaseUrl: twilio.url },
    credentials: { authToken: twilio.account.authToken },
  });
  const messagingConfig = await admin('outbound-messaging', 'POST', '/outbound/configurations', { name: 'chaos', showInTimeline: false, channelType: 'sms', channelId: channel.id, templateId: template.id });
  await connectExportFolder(adminCall, sftp, tenants[0].folder, ['recordings', 'metadata']);
  for (const tenant of tenants) await configureSessionTenant(stack, tenant, sftp, tenant === tenants[0]);
  return {
    tenantId,
    deliveryConfigId: deliveryConfig.id,
    messagingConfigId: messagingConfig.id,
    numberPrefix: number.slice(0, -4),
    supervisorToken: await stack.token(tenantId, [Role.OmnichannelSupervisor]),
  };
}

async function driveUnderChaos(options: ChaosOptions, stack: TestStack, postgres: ScratchPostgres, peers: Peers): Promise<ChaosReport> {
  const { log } = options;
  const { twilio, runtime, sftp, smtp, tenants } = peers;
  const setup = await configure(stack, peers);
  const random = seededRandom(options.seed);
  const runId = `${options.seed}-${randomUUID().slice(0, 6)}`;
  const deliveries = ledger();
  const messages = ledger();
  const files = ledger();
  const events = ledger();
  const sessions = tenants.map((): SessionLedger => ({ accepted: [], unacknowledged: [], refused: 0, eventsAccepted: 0 }));
  /** Unit id → DeliveryId, to find the unit's calls at the voice runtime. */
  const deliveryOfUnit = new Map<string, string>();
  const started = Date.now();
  const durationMs = options.durationSeconds * 1_000;
  const auth = { authorization: `Bearer ${setup.supervisorToken}` };

  const deliveryUnit = async (index: number) => {
    const unit = `${runId}-d${index}`;
    const body = {
      ApiVersion: '1.0',
      ProactiveEngagementConfigId: setup.deliveryConfigId,
      DestinationPhoneNumber: `${setup.numberPrefix}${String(index % 10_000).padStart(4, '0')}`,
      ContactId: randomUUID(),
      InputAttributes: { type: 'callback' },
    };
    // The Idempotency-Key makes every retry safe, whatever became of the previous try (PD1.5).
    const answer = await untilAnswered(deliveries, unit, 200, Date.now() + RETRY_WINDOW_MS, () => postJson(`${stack.url('proactive-delivery')}${CREATE_DELIVERY}`, body, { ...auth, 'idempotency-key': unit }));
    if (answer) deliveryOfUnit.set(unit, (answer as { DeliveryId: string }).DeliveryId);
  };

  const messageUnit = async (index: number) => {
    const unit = `${runId}-m${index}`;
    const body = {
      msdyn_ocoutboundconfigurationid: setup.messagingConfigId,
      ContactList: [{ tocontactid: SMS_CUSTOMER, channelid: 'sms', option: true, CustomerName: unit, CaseName: 'chaos' }],
    };
    // The invoke API has no idempotency key: only a request that surely was not processed is sent again.
    const retryUntil = Date.now() + RETRY_WINDOW_MS;
    for (;;) {
      const outcome = await postJson(`${stack.url('outbound-messaging')}${INVOKE}`, body, auth);
      if (outcome.kind === 'answered' && outcome.status === 200) {
        const [contact] = (outcome.body as { ContactList: { status: string }[] }).ContactList;
        if (contact?.status === 'accepted') messages.accepted.push(unit);
        else messages.refused++;
        return;
      }
      if (outcome.kind === 'answered' && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) {
        messages.refused++;
        messages.refusals.push(`${outcome.status} ${JSON.stringify(outcome.body)}`);
        return;
      }
      if (!notProcessed(outcome) || Date.now() > retryUntil) {
        messages.unacknowledged.push(unit);
        messages.lastFailures.push(`${unit}: ${describeOutcome(outcome)}`);
        return;
      }
      await sleep(500);
    }
  };

  /** A recording upload: the same name again replaces the file, so every retry is safe. */
  const fileUnit = async (index: number) => {
    const session = `${runId}-f${index}`;
    const path = `/sessions/${session}/files/recording/call-${session}.wav`;
    await untilAnswered(files, session, 202, Date.now() + RETRY_WINDOW_MS, () => putBytes(`${stack.url('storage-export')}${path}`, recordingOf(session), { ...auth, 'content-type': 'audio/wav' }));
  };
  /** Sessions alternate between the two tenants; each number is its tenant's own. */
  const sessionUnit = async (index: number) => {
    const tenant = tenants[index % 2] as SessionTenant;
    const number = Math.floor(index / 2);
    const sessionId = `${runId}-${tenant.label}${number}`;
    await runSession(() => stack.url('event-bridge'), tenant, sessions[index % 2] as SessionLedger, events, sessionId, `${tenant.phonePrefix}${String(number).padStart(4, '0')}`, RETRY_WINDOW_MS);
  };
  const tasks = workloadTasks(options.units, [deliveryUnit, messageUnit, fileUnit], sessionUnit);

  let workloadDone = false;
  const kills: string[] = [];
  const killer = runKiller(stack, options, random, kills, () => workloadDone);
  const postgresRestart = (async () => {
    await sleep(durationMs / 2);
    log('restarting Postgres (pg_ctl restart -m immediate)');
    await postgres.restart();
    log('Postgres is back');
  })();
  log(`workload: ${options.units} units over ${options.durationSeconds} s, a SIGKILL every ~${options.killEverySeconds} s (seed ${options.seed})`);
  await paced(tasks.length, options.concurrency, (index) => started + (index * durationMs) / tasks.length, (index) => tasks[index]?.() ?? Promise.resolve());
  const workloadMs = Date.now() - started;
  workloadDone = true;
  await Promise.all([killer, postgresRestart]);
  log(`workload done in ${Math.round(workloadMs / 1_000)} s (${kills.length} kills); draining`);

  const effects = () => {
    const sms = new Map<string, number>();
    for (const message of twilio.messages.values()) {
      const unit = SMS_MARKER.exec(message.body)?.[1];
      if (unit) sms.set(unit, (sms.get(unit) ?? 0) + 1);
    }
    const calls = new Map<string, number>();
    for (const [unit, deliveryId] of deliveryOfUnit) calls.set(unit, runtime.callsByDelivery.get(deliveryId)?.size ?? 0);
    return { sms, calls };
  };
  /** An accepted file counts once when the SFTP server holds it with the uploaded bytes (a partial or other file: 0). */
  const filesWritten = async () => {
    const written = new Map<string, number>();
    for (const session of [...files.accepted, ...files.unacknowledged]) {
      const bytes = await readFile(join(sftp.rootDir, tenants[0].folder, 'ujet-voice-recordings', `call-${session}.wav`)).catch(() => undefined);
      if (bytes?.equals(recordingOf(session))) written.set(session, 1);
    }
    return written;
  };
  const sessionPattern = new RegExp(`${runId}-[AB]\\d+`);
  const fixedKinds = (calls: Map<string, number>, sms: Map<string, number>, written: Map<string, number>): KindUnits[] => [
    { kind: 'proactive dials', ...deliveries, effects: calls, note: 'calls placed at the voice runtime, one per distinct Idempotency-Key (attempt id) of the delivery; a re-sent dial with the same key is not a second call' },
    { kind: 'SMS sent', ...messages, effects: sms, note: 'messages the Twilio simulator accepted, matched to units by the unit id in the text; Twilio has no idempotency key, so a kill between its acceptance and the service recording it sends again (known gap, README)' },
    {
      kind: 'files written',
      ...files,
      effects: written,
      note: 'recordings on the SFTP server with the uploaded bytes; a write repeated under the same name replaces the file, so the peer cannot show a double (storage-export skips a file already there with its SHA-256)',
    },
  ];
  /** Every kind's units with what the peers hold of them. */
  const kindsNow = async (): Promise<KindUnits[]> => {
    const { sms, calls } = effects();
    const [atA, atB] = await Promise.all(tenants.map((tenant) => sessionEffectsAt(tenant, smtp, sftp, sessionPattern)));
    if (!atA || !atB) throw new Error('two session tenants expected');
    return [...fixedKinds(calls, sms, await filesWritten()), ...sessionKinds(tenants[0], sessions[0] as SessionLedger, atA, atB), ...sessionKinds(tenants[1], sessions[1] as SessionLedger, atB, atA)];
  };
  const drainStarted = Date.now();
  await drain(async () => {
    const kinds = await kindsNow();
    const missing = kinds.reduce((sum, kind) => sum + kind.accepted.filter((unit) => !kind.effects.get(unit)).length, 0);
    const found = kinds.reduce((sum, kind) => sum + [...kind.effects.values()].reduce((a, b) => a + b, 0), 0);
    return { moved: found - missing, complete: missing === 0 };
  }, options.drainSeconds * 1_000, log);
  const drainMs = Date.now() - drainStarted;

  for (const refusal of [...deliveries.refusals, ...messages.refusals, ...files.refusals, ...events.refusals].slice(0, 5)) log(`refused: ${refusal}`);
  for (const failure of [...deliveries.lastFailures, ...messages.lastFailures, ...files.lastFailures, ...events.lastFailures].slice(0, 10)) log(`unacknowledged: ${failure}`);
  const acceptedUnits = deliveries.accepted.length + messages.accepted.length + files.accepted.length + events.accepted.length;
  log(`accepted units: ${acceptedUnits} (${deliveries.accepted.length} deliveries, ${messages.accepted.length} messages, ${files.accepted.length} files, ${events.accepted.length} session and adapter events of ${sessions.reduce((sum, tenant) => sum + tenant.accepted.length, 0)} sessions)`);
  return { tallies: (await kindsNow()).map(tallyKind), kills, postgresRestarts: 1, drainMs, workloadMs, acceptedUnits };
}

/**
 * The workload in the order it is sent: `units` split evenly between deliveries, messages, file uploads and session
 * events, a session being four events (started, New_Call, End_Call, ended), so one session per four of the others.
 */
function workloadTasks(units: number, kinds: ReadonlyArray<(index: number) => Promise<void>>, session: (index: number) => Promise<void>): Array<() => Promise<void>> {
  const perKind = Math.max(1, Math.floor(units / (kinds.length + 1)));
  const tasks: Array<() => Promise<void>> = [];
  for (let index = 0; index < perKind; index++) {
    for (const kind of kinds) tasks.push(() => kind(index));
    if (index % 4 === 0) tasks.push(() => session(index / 4));
  }
  return tasks;
}

/** Kills a random service with SIGKILL every 0.5–1.5 × killEverySeconds and starts it again at once, until the workload is done. */
async function runKiller(stack: TestStack, options: ChaosOptions, random: () => number, kills: string[], done: () => boolean): Promise<void> {
  for (;;) {
    const waitMs = options.killEverySeconds * 1_000 * (0.5 + random());
    await sleep(waitMs);
    if (done()) return;
    const name = SERVICES[Math.floor(random() * SERVICES.length)] as ChaosService;
    const deadPid = stack.services.get(name)?.process.pid;
    await stack.services.get(name)?.kill();
    kills.push(name);
    options.log(`SIGKILL ${name} (#${kills.length}); restarting`);
    for (;;) {
      try {
        await stack.start(name);
        await expireLeasesOf(stack, name, deadPid, options.log);
        break;
      } catch (error) {
        options.log(`restart of ${name} failed, again: ${(error as Error).message.split('\n')[0]}`);
        await sleep(2_000);
      }
    }
  }
}

/**
 * The durable jobs the killed process held are taken over once their leases run out (crm-sync's 60 s, storage-export's
 * 120 s); ending those leases now leaves the table as it would be then, minutes sooner (see CrashProbe). A database
 * that is restarting just leaves them to run out.
 */
async function expireLeasesOf(stack: TestStack, name: ChaosService, deadPid: number | undefined, log: (line: string) => void): Promise<void> {
  const schema = JOB_SCHEMAS[name];
  if (!schema || deadPid === undefined) return;
  try {
    const probe = await CrashProbe.connect(stack.databaseUrl);
    try {
      const keys = await probe.expireLeasesOf(schema, deadPid);
      if (keys.length > 0) log(`${name}: ${keys.length} job lease(s) of the killed process ended`);
    } finally {
      await probe.close();
    }
  } catch (error) {
    log(`${name}: leases left to run out (${(error as Error).message})`);
  }
}

/**
 * Waits until every accepted unit took effect and the counts have not moved for QUIET_MS (so that a re-send after a
 * lease expiry still shows), at most `maxMs`: a unit still missing then is lost.
 */
async function drain(probe: () => Promise<{ moved: number; complete: boolean }>, maxMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = (await probe()).moved;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(1_000);
    const { moved, complete } = await probe();
    if (moved !== last) {
      last = moved;
      stableSince = Date.now();
    } else if (complete && Date.now() - stableSince >= QUIET_MS) {
      return;
    }
  }
  log(`drain: not every accepted unit took effect, or counts still moving, after ${Math.round(maxMs / 1_000)} s (the bound); counting what arrived`);
}

/** What the run says about a broker restart, which it cannot perform on either kind of Kafka. */
export function brokerRestartLine(externalKafka: boolean): string {
  return externalKafka
    ? 'broker restart: skipped — the run does not control the cluster KAFKA_BROKERS names (restart a broker by hand during the run to include it)'
    : 'broker restart: skipped — the mock broker keeps topics and offsets in memory, so a restart would lose them by design; set KAFKA_BROKERS to a real cluster';
}

/** A recording's bytes: unique per session, so the file at the destination proves which upload it is. */
function recordingOf(session: string): Buffer {
  return Buffer.from(`RIFF chaos recording of ${session}\n`.repeat(8));
}
