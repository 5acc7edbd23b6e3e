import { Role, SIGNATURE_HEADER, signBody } from '@switchboard/auth';
import { consumerConfig, createKafka, type KafkaSettings, silentLogger } from '@switchboard/messaging';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { type OutboxRow, readOutbox, testInfra } from '@switchboard/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { EventBridgeConfig } from '../config';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from '../database/prisma.service';
import { TENANT_HEADER } from '../tenant-secrets/tenant-signature.guard';

/** A message read back from Kafka, its value parsed. */
export interface ConsumedEvent {
  topic: string;
  key: string;
  event: { id: string; type: string; tenantid: string; subject: string; data: Record<string, unknown> };
}

export interface EventBridgeTestApp extends ServiceTestApp<EventBridgeConfig> {
  prisma: PrismaService;
  /** Gives the tenant an ingress secret (through the admin API) and returns it. */
  createIngressSecret(tenantId: string): Promise<string>;
  /** The tenant and signature headers of a post of `body` (JSON text) signed with `secret`. */
  signedHeaders(tenantId: string, secret: string, body: string): Record<string, string>;
  /** POSTs `body` (JSON text as given, or an object) signed for the tenant with `secret`. */
  postSigned(path: string, tenantId: string, secret: string, body: string | object): Promise<Response>;
  outbox(filter?: { key?: string }): Promise<OutboxRow[]>;
}

/** event-bridge in this process, on a fresh database with its migrations applied and this run's Kafka. */
export async function startEventBridgeTestApp(env: Record<string, string> = {}): Promise<EventBridgeTestApp> {
  const service = await startServiceTestApp({
    service: 'event-bridge',
    module: AppModule,
    config: EventBridgeConfig,
    env: { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), ...env },
  });
  const prisma = service.app.get(PrismaService);
  const signedHeaders = (tenantId: string, secret: string, body: string) => ({ [TENANT_HEADER]: tenantId, [SIGNATURE_HEADER]: signBody(secret, body, Math.floor(Date.now() / 1000)) });
  return {
    ...service,
    prisma,
    async createIngressSecret(tenantId) {
      const secret = randomBytes(24).toString('hex');
      const response = await service.call('/admin/ingress-secret', { method: 'PUT', tenantId, roles: [Role.Administrator], body: JSON.stringify({ secret }) });
      if (response.status !== 204) throw new Error(`ingress secret not set: ${response.status} ${await response.text()}`);
      return secret;
    },
    signedHeaders,
    postSigned(path, tenantId, secret, body) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(tenantId, secret, text) }, body: text });
    },
    outbox: (filter) => readOutbox(prisma, EVENT_BRIDGE_SCHEMA, filter),
  };
}

/**
 * Reads `topic` from its beginning in a consumer group of its own, keeping every message: tests wait
 * for the ones they published (the broker is shared, so they filter by tenant or key).
 */
export async function readTopic(topic: string): Promise<{ events: ConsumedEvent[]; stop(): Promise<void> }> {
  const settings: KafkaSettings = { brokers: testInfra().kafkaBrokers, clientId: 'event-bridge-test-reader', idempotentProducer: false, consumerMaxWaitMs: 100, sessionTimeoutMs: 6_000 };
  const consumer = createKafka(settings, silentLogger).consumer(consumerConfig(settings, `test-reader-${randomUUID()}`));
  const events: ConsumedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      events.push({ topic, key: message.key?.toString() ?? '', event: JSON.parse(message.value?.toString() ?? 'null') as ConsumedEvent['event'] });
    },
  });
  return { events, stop: () => consumer.disconnect() };
}
