/**
 * `npx tsx tools/local-infra/kafka-mock.ts` — runs librdkafka's mock Kafka cluster (through kcat) in the
 * foreground for local development and prints `KAFKA_BROKERS=…` for the services. Ctrl-C stops it; the
 * cluster keeps everything in memory, so topics and offsets are gone afterwards.
 */
import { startMockKafka } from '@switchboard/testing';

async function main(): Promise<void> {
  const brokerCount = Number(process.argv[2] ?? 1);
  if (!Number.isInteger(brokerCount) || brokerCount < 1) {
    throw new Error(`Usage: kafka-mock.ts [brokers] — brokers must be a positive integer, got ${process.argv[2]}`);
  }
  const mock = await startMockKafka({ brokers: brokerCount });
  console.log(`KAFKA_BROKERS=${mock.brokers.join(',')}`);
  console.log('[local-infra] librdkafka mock cluster running (no topic admin, no idempotent producer); Ctrl-C to stop');

  const shutdown = (signal: NodeJS.Signals) => {
    console.log(`[local-infra] ${signal}: stopping the mock cluster`);
    void mock.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
