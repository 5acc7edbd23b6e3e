import { Role, signBody } from '@switchboard/auth';
import { Topics } from '@switchboard/contracts';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox, testInfra } from '@switchboard/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { EventBridgeConfig } from '../config';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from '../database/prisma.service';

export interface EventBridgeTestApp extends ServiceTestApp<EventBridgeConfig> {
  prisma: PrismaService;
  /** The outbox rows in relay order, optionally only those under one Kafka key. */
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
  /** PUT /admin/... as the tenant's Administrator; throws unless 204. */
  setSecret(tenantId: string, path: 'ingress-secret' | 'custom-data-key', body: Record<string, string>): Promise<void>;
  /** POST a body signed with `secret` for `tenantId` (X-Switchboard-Tenant, X-Switchboard-Signature). */
  postSigned(path: string, tenantId: string, secret: string, body: string, options?: { timestamp?: number; headers?: Record<string, string> }): Promise<Response>;
  /** POST /adapter-events/from-agent with an OmnichannelAgent token for `agentId`. */
  postFromAgent(tenantId: string, agentId: string, body: string): Promise<Response>;
}

/** event-bridge in this process, on a fresh database and this test run's Kafka. */
export async function startEventBridgeTestApp(env: Record<string, string> = {}): Promise<EventBridgeTestApp> {
  const started = await startServiceTestApp({
    service: 'event-bridge',
    module: AppModule,
    config: EventBridgeConfig,
    env: { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ...env },
  });
  const prisma = started.app.get(PrismaService);
  return {
    ...started,
    prisma,
    outbox: (filter) => readOutbox(prisma, EVENT_BRIDGE_SCHEMA, filter),
    async setSecret(tenantId, path, body) {
      const response = await fetch(`${started.url}/admin/${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${await started.token(tenantId, [Role.Administrator])}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 204) throw new Error(`PUT /admin/${path}: ${response.status} ${await response.text()}`);
    },
    postSigned(path, tenantId, secret, body, options = {}) {
      const signature = signBody(secret, body, options.timestamp);
      const headers = { 'content-type': 'application/json', 'x-switchboard-tenant': tenantId, 'x-switchboard-signature': signature, ...options.headers };
      return fetch(`${started.url}${path}`, { method: 'POST', headers, body });
    },
    async postFromAgent(tenantId, agentId, body) {
      const authorization = `Bearer ${await started.token(tenantId, [Role.OmnichannelAgent], agentId)}`;
      return fetch(`${started.url}/adapter-events/from-agent`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
    },
  };
}

export interface PublishedAgentEvent {
  partition: number;
  key: string;
  offset: string;
  event: { id: string; type: string; tenantid: string; subject: string; data: Record<string, unknown> };
}

/**
 * Everything published on agent.events.v1 for the given tenants, read from the beginning by a group of
 * its own. Other test files share the broker: the tenants are what tells this file's events apart.
 */
export async function readAgentEvents(tenantIds: string[]): Promise<{ events: PublishedAgentEvent[]; stop(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'event-bridge-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `event-bridge-test-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
  const events: PublishedAgentEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.agentEvents, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const event = JSON.parse(String(message.value)) as PublishedAgentEvent['event'];
      if (tenantIds.includes(event.tenantid)) events.push({ partition, key: String(message.key), offset: message.offset, event });
    },
  });
  return { events, stop: () => consumer.disconnect() };
}
