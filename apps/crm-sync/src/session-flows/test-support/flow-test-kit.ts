import { Role } from '@switchboard/auth';
import { Clock, ManualClock } from '@switchboard/clock';
import { type CloudEvent, ContactSessionEventTypes, type SessionEndedFacts, type SessionStartedFacts, type SessionUpdatedFacts, Topics, contactSessionExamples, sessionMetadataExample } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import { deployMigrations } from '@switchboard/persistence/migrate';
import { startServiceTestApp } from '@switchboard/platform/test-support';
import { createTestDatabase, type CrmSimulator, crmSimulatorEndpoints, eventually, testInfra, type TestDatabase } from '@switchboard/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { AppModule } from '../../app.module';
import { CrmSyncConfig } from '../../config';
import { PrismaService } from '../../database/prisma.service';
import { sessionStepQueue, stepKey } from '../session-step-queue';

/**
 * crm-sync on a database that outlives it: closing one app and starting another on the same database and
 * consumer group is a restart. Jobs run only when a test calls `runDueJobs`, at the ManualClock's time.
 */
export class FlowTestKit {
  readonly clock = new ManualClock('2026-03-02T14:00:00.000Z');
  private readonly group = `crm-sync.flows-${randomUUID().slice(0, 8)}`;
  private readonly secretsKey = Buffer.alloc(32, 7).toString('base64');
  /** Every tenant a test made (watchRecordPops reads their pops). */
  readonly tenants: string[] = [];
  app!: Awaited<ReturnType<typeof startServiceTestApp<CrmSyncConfig>>>;

  private constructor(private readonly database: TestDatabase, private readonly env: Record<string, string>) {}

  static async start(env: Record<string, string>): Promise<FlowTestKit> {
    const database = await createTestDatabase('crmflows');
    await deployMigrations({ service: 'crm-sync', databaseUrl: database.url });
    const kit = new FlowTestKit(database, env);
    await kit.restart();
    return kit;
  }

  /** Stops this app (if running) and starts another on the same database: a restart. */
  async restart(): Promise<void> {
    await this.app?.close();
    this.app = await startServiceTestApp({
      service: 'crm-sync',
      module: AppModule,
      config: CrmSyncConfig,
      env: { SECRETS_ENCRYPTION_KEY: this.secretsKey, JOBS_POLL_INTERVAL_MS: '0', SHUTDOWN_GRACE_MS: '1000', ...this.env },
      replicaOf: { databaseUrl: this.database.url, config: { KAFKA_CONSUMER_GROUP: this.group } as CrmSyncConfig },
    });
    const clock = this.clock;
    Object.assign(this.app.app.get(Clock), { now: () => clock.now() });
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.database.drop();
  }

  get jobs(): JobsService {
    return this.app.app.get(JobsService);
  }

  get prisma(): PrismaService {
    return this.app.app.get(PrismaService);
  }

  async put(tenantId: string, path: string, body: unknown): Promise<void> {
    const response = await this.app.call(path, { method: 'PUT', tenantId, roles: [Role.Administrator], body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  /** A fresh tenant with the custom CRM of the simulator (every endpoint of CS2.1) and the given flow settings. */
  async tenantWith(sim: CrmSimulator, flowSettings: Record<string, unknown> = {}, crm: Record<string, unknown> = {}): Promise<string> {
    const tenantId = randomUUID();
    this.tenants.push(tenantId);
    await this.put(tenantId, '/crm/custom/settings', {
      auth: { type: 'basic', username: SIMULATOR_AUTH.username, password: SIMULATOR_AUTH.password },
      phoneFormat: 'e164',
      reuseExistingRecords: false,
      endpoints: crmSimulatorEndpoints(sim.url),
      ...crm,
    });
    await this.put(tenantId, '/crm/session-flows/settings', flowSettings);
    return tenantId;
  }

  /** Publishes contact.session.v1 events as event-bridge does (through an outbox, keyed by session); or another topic's, keyed alike. */
  async publish(tenantId: string, events: Array<{ type: string; data: object }>, topic: string = Topics.contactSession): Promise<CloudEvent[]> {
    const publisher = this.app.app.get(OutboxPublisher);
    const entries = events.map(({ type, data }) => {
      const sessionId = (data as { sessionId: string }).sessionId;
      return { topic, key: sessionId, event: publisher.event({ type, subject: sessionId, tenantId, data }) };
    });
    await this.prisma.transaction((tx) => publisher.enqueue(tx, entries));
    return entries.map((entry) => entry.event);
  }

  /** Waits until the consumer scheduled the step, then runs every job due now. */
  async runStepsOnceScheduled(tenantId: string, sessionId: string, step: string): Promise<void> {
    await eventually(() => this.jobs.find(sessionStepQueue, stepKey(tenantId, sessionId, step)), `step ${step} of session ${sessionId}`);
    await this.jobs.runDueJobs();
  }

  step(tenantId: string, sessionId: string, step: string) {
    return this.jobs.find(sessionStepQueue, stepKey(tenantId, sessionId, step));
  }
}

export const SIMULATOR_AUTH = { type: 'basic' as const, username: 'switchboard', password: 'crm-password' };

/** A session's events, shaped like the contract's examples (tolerant readers, so plain objects). */
export const sessionEvents = {
  started(sessionId: string, facts: Partial<SessionStartedFacts> = {}, version = 1) {
    return { type: ContactSessionEventTypes.started, data: { ...contactSessionExamples.started, ...facts, sessionId, occurredAt: contactSessionExamples.started.startedAt, version } };
  },
  updated(sessionId: string, facts: SessionUpdatedFacts, occurredAt = '2026-03-02T14:01:30.000Z', version = 2) {
    return { type: ContactSessionEventTypes.updated, data: { ...facts, sessionId, occurredAt, version } };
  },
  agentAssigned(sessionId: string, agentId = '17', version = 2) {
    return sessionEvents.updated(sessionId, { agentAssignment: { agentId, agentEmail: 'agent17@example.com', assignedAt: '2026-03-02T14:01:30.000Z' } }, '2026-03-02T14:01:30.000Z', version);
  },
  ended(sessionId: string, outcome: SessionEndedFacts['outcome'] = 'completed', version = 3) {
    const ended = contactSessionExamples.ended;
    const metadata = { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, id: sessionId, outcome }, version };
    return { type: ContactSessionEventTypes.ended, data: { ...ended, outcome, sessionId, occurredAt: ended.times.endedAt, version, metadata } };
  },
};

/** Reads crm.record-pops.v1 from the beginning for the given tenants. */
export async function watchRecordPops(tenantIds: string[]): Promise<{ pops: Array<{ key: string; tenantid: string; data: Record<string, unknown> }>; stop(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'crm-flows-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `crm-flows-pops-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
  const pops: Array<{ key: string; tenantid: string; data: Record<string, unknown> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.crmRecordPops, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(String(message.value)) as { tenantid: string; data: Record<string, unknown> };
      if (tenantIds.includes(event.tenantid)) pops.push({ key: String(message.key), tenantid: event.tenantid, data: event.data });
    },
  });
  return { pops, stop: () => consumer.disconnect() };
}
