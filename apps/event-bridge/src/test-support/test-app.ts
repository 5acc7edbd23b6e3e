import { Role, signBody } from '@switchboard/auth';
import { CloudEvent, createCloudEvent, CrmRecordPop, CrmRecordPopEventTypes, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { SecretBox } from '@switchboard/persistence';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, openSseStream, readOutbox, SseStream, testInfra } from '@switchboard/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { EventBridgeConfig } from '../config';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from '../database/prisma.service';

export const AGENT: Role[] = [Role.OmnichannelAgent];

export interface EventBridgeTestApp extends ServiceTestApp<EventBridgeConfig> {
  prisma: PrismaService;
  /** The outbox rows in relay order, optionally only those under one Kafka key. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
  /** PUT /admin/... as the tenant's Administrator; throws unless 204. */
  setSecret(tenantId: string, path: 'ingress-secret' | 'custom-data-key', body: Record<string, string>): Promise<void>;
  /** Gives the tenant a fresh ingress secret (PUT /admin/ingress-secret) and returns it. */
  createIngressSecret(tenantId: string): Promise<string>;
  /** POST a body (JSON text, or an object to serialise) signed with `secret` for `tenantId` (X-Switchboard-Tenant, X-Switchboard-Signature). */
  postSigned(path: string, tenantId: string, secret: string, body: string | object, options?: { timestamp?: number; headers?: Record<string, string> }): Promise<Response>;
  /** POST /adapter-events/from-agent with an OmnichannelAgent token for `agentId`. */
  postFromAgent(tenantId: string, agentId: string, body: string): Promise<Response>;
  /**
   * Publishes events the way producers do: through this app's outbox in one transaction, relayed to Kafka,
   * consumed back by the event handlers of every replica's consumer group.
   */
  publish(entries: { topic: string; event: CloudEvent; key?: string }[]): Promise<void>;
  /** Opens GET /agent-stream (plus `path`, e.g. a query string) as the agent `agentId` of `tenantId`. */
  openAgentStream(tenantId: string, agentId: string, options?: { lastEventId?: string; path?: string; roles?: Role[] }): Promise<SseStream>;
}

/** The whole event-bridge app in this process (see startServiceTestApp); `replicaOf` makes it a second replica. */
export async function startEventBridgeTestApp(env: Record<string, string> = {}, options: { replicaOf?: EventBridgeTestApp } = {}): Promise<EventBridgeTestApp> {
  const started = await startServiceTestApp({
    service: 'event-bridge',
    module: AppModule,
    config: EventBridgeConfig,
    env: { SECRETS_ENCRYPTION_KEY: options.replicaOf?.config.SECRETS_ENCRYPTION_KEY ?? SecretBox.generateKey(), ...env },
    replicaOf: options.replicaOf,
  });
  const prisma = started.app.get(PrismaService);
  const publisher = started.app.get(OutboxPublisher);
  const setSecret: EventBridgeTestApp['setSecret'] = async (tenantId, path, body) => {
    const response = await fetch(`${started.url}/admin/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await started.token(tenantId, [Role.Administrator])}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 204) throw new Error(`PUT /admin/${path}: ${response.status} ${await response.text()}`);
  };
  return {
    ...started,
    prisma,
    outbox: (filter) => readOutbox(prisma, EVENT_BRIDGE_SCHEMA, filter),
    setSecret,
    async createIngressSecret(tenantId) {
      const secret = randomBytes(24).toString('hex');
      await setSecret(tenantId, 'ingress-secret', { secret });
      return secret;
    },
    postSigned(path, tenantId, secret, content, options = {}) {
      const body = typeof content === 'string' ? content : JSON.stringify(content);
      const signature = signBody(secret, body, options.timestamp);
      const headers = { 'content-type': 'application/json', 'x-switchboard-tenant': tenantId, 'x-switchboard-signature': signature, ...options.headers };
      return fetch(`${started.url}${path}`, { method: 'POST', headers, body });
    },
    async postFromAgent(tenantId, agentId, body) {
      const authorization = `Bearer ${await started.token(tenantId, [Role.OmnichannelAgent], agentId)}`;
      return fetch(`${started.url}/adapter-events/from-agent`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
    },
    publish: (entries) => prisma.transaction((tx) => publisher.enqueue(tx, entries)),
    async openAgentStream(tenantId, agentId, { lastEventId, path = '', roles = AGENT } = {}) {
      const authorization = `Bearer ${await started.token(tenantId, roles, agentId)}`;
      return openSseStream(`${started.url}/agent-stream${path}`, { headers: { authorization, ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) } });
    },
  };
}

export interface PublishedEvent {
  partition: number;
  key: string;
  offset: string;
  event: { id: string; type: string; tenantid: string; subject: string; data: Record<string, unknown> };
}

/** @deprecated name kept for the agent-event tests: an event read back from agent.events.v1. */
export type PublishedAgentEvent = PublishedEvent;

/**
 * Everything published on `topic` for the given tenants, read from the beginning by a group of its own.
 * Other test files share the broker: the tenants are what tells this file's events apart.
 */
export async function readTopicEvents(topic: string, tenantIds: string[]): Promise<{ events: PublishedEvent[]; stop(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'event-bridge-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `event-bridge-test-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
  const events: PublishedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const event = JSON.parse(String(message.value)) as PublishedEvent['event'];
      if (tenantIds.includes(event.tenantid)) events.push({ partition, key: String(message.key), offset: message.offset, event });
    },
  });
  return { events, stop: () => consumer.disconnect() };
}

/** Everything published on agent.events.v1 for the given tenants (see readTopicEvents). */
export function readAgentEvents(tenantIds: string[]): Promise<{ events: PublishedEvent[]; stop(): Promise<void> }> {
  return readTopicEvents(Topics.agentEvents, tenantIds);
}

/** A CRM_Record_Pop on crm.record-pops.v1, keyed by its agent (as crm-sync publishes it). */
export function recordPop(tenantId: string, pop: CrmRecordPop): { topic: string; event: CloudEvent; key: string } {
  const event = createCloudEvent({ type: CrmRecordPopEventTypes.recordPop, source: '/switchboard/crm-sync', subject: pop.agentId, tenantId, data: pop });
  return { topic: Topics.crmRecordPops, event, key: pop.agentId };
}
