import { createCloudEvent, EventCatalog, eventCatalog, Topics } from '@switchboard/contracts';
import { pgTransactionRunner, TransactionRunner } from '@switchboard/persistence';
import { applyPlatformMigrations } from '@switchboard/persistence/migrate';
import { Kafka } from 'kafkajs';
import pg from 'pg';
import { createKafka, KafkaSettings } from '../kafka-client';
import { silentLogger } from '../logger';

/** A schema of the messaging tests' own: they depend on no service's migrations. */
export const TEST_SCHEMA = 'messaging_test';

/** The outbox and inbox tables in TEST_SCHEMA, exactly as every service gets them (platform migrations). */
export async function createMessagingTables(databaseUrl: string): Promise<void> {
  await applyPlatformMigrations({ databaseUrl, schema: TEST_SCHEMA });
}

export function kafkaSettings(brokers: string[], clientId = 'messaging-test'): KafkaSettings {
  return { brokers, clientId, idempotentProducer: false, consumerMaxWaitMs: 100, sessionTimeoutMs: 6_000 };
}

export function testKafka(brokers: string[]): Kafka {
  return createKafka(kafkaSettings(brokers), silentLogger);
}

export function poolFor(databaseUrl: string): { pool: pg.Pool; db: TransactionRunner } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  return { pool, db: pgTransactionRunner(pool) };
}

/** Effects table standing in for a handler's business writes; `seq` keeps the order they were applied in. */
export async function createEffectsTable(pool: pg.Pool): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${TEST_SCHEMA}.test_effect (seq bigserial, event_id text NOT NULL, tenant_id text NOT NULL, applied_at timestamptz DEFAULT now())`,
  );
}

export function agentEvent(tenantId: string, sessionId: string, adapterEventType = 'New_Call') {
  return createCloudEvent({
    type: `switchboard.agent.${adapterEventType}`,
    source: '/switchboard/test',
    subject: sessionId,
    tenantId,
    data: { adapterEventType, sessionId, sessionKind: 'call' as const, receivedAt: new Date().toISOString(), payload: { call_id: sessionId } },
  });
}

/** The agent-event contracts, re-homed onto a per-test topic so tests never share a topic. */
export function agentCatalogOn(topic: string): EventCatalog {
  return eventCatalog.rehomed((original) => (original === Topics.agentEvents ? topic : original));
}
