import { enqueueEvents, OutboxRelay, silentLogger, createKafka } from '@switchboard/messaging/core';
import { pgTransactionRunner, pgSqlExecutor } from '@switchboard/persistence';
import { applyPlatformMigrations } from '@switchboard/persistence/migrate';
import { startMockKafka } from '@switchboard/testing';
import pg from 'pg';
import { benchEvents } from './bench/consumer/bench-events';
async function main() {
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' }); await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS sb_relay'); await admin.query('CREATE DATABASE sb_relay'); await admin.end();
  const url = 'postgresql://postgres@127.0.0.1:5432/sb_relay';
  await applyPlatformMigrations({ databaseUrl: url, schema: 'event_bridge' });
  const kafka = await startMockKafka();
  const pool = new pg.Pool({ connectionString: url, max: 4 }); const db = pgTransactionRunner(pool);
  const events = benchEvents(7, 20000, '33333333-3333-4333-8333-333333333333');
  let t = performance.now(); let c0 = process.cpuUsage();
  for (let i = 0; i < events.length; i += 1000) await db((tx) => enqueueEvents(tx, 'event_bridge', events.slice(i, i + 1000).map((event) => ({ topic: 'agent.events.v1', event }))));
  let c = process.cpuUsage(c0); console.log('insert ms', Math.round(performance.now() - t), 'node cpu', Math.round((c.user+c.system)/1000));
  const k = createKafka({ brokers: kafka.brokers, clientId: 'x', idempotentProducer: false, consumerMaxWaitMs: 100, sessionTimeoutMs: 10000 }, silentLogger);
  const producer = k.producer(); await producer.connect();
  const timings = { send: 0 };
  const orig = producer.sendBatch.bind(producer);
  producer.sendBatch = async (b) => { const s = performance.now(); const r = await orig(b); timings.send += performance.now() - s; return r; };
  const relay = new OutboxRelay({ db, schema: 'event_bridge', producer, logger: silentLogger, batchSize: Number(process.env.BATCH ?? 1000) });
  t = performance.now(); c0 = process.cpuUsage(); let n = 0;
  for (;;) { const x = await relay.publishPending(); if (!x) break; n += x; }
  c = process.cpuUsage(c0);
  console.log('relay ms', Math.round(performance.now() - t), 'send ms', Math.round(timings.send), 'node cpu', Math.round((c.user+c.system)/1000), 'rows', n);
  await producer.disconnect(); await pool.end(); await kafka.stop(); process.exit(0);
}
main();
