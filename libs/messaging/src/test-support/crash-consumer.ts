/**
 * Child process for the crash test: consumes one event, writes the handler's effect inside the inbox
 * transaction, then dies with SIGKILL before that transaction commits and before any offset commit.
 */
import { SqlExecutor } from '@switchboard/persistence';
import { InboxConsumer } from '../inbox/inbox-consumer';
import { consumerConfig } from '../kafka-client';
import { silentLogger } from '../logger';
import { agentCatalogOn, kafkaSettings, poolFor, TEST_SCHEMA, testKafka } from './messaging-fixture';

async function main(): Promise<void> {
  const [brokers, databaseUrl, topic, groupId] = [process.env['BROKERS'], process.env['DATABASE_URL'], process.env['TOPIC'], process.env['GROUP']];
  if (!brokers || !databaseUrl || !topic || !groupId) throw new Error('BROKERS, DATABASE_URL, TOPIC, GROUP are required');
  const kafka = testKafka(brokers.split(','));
  const producer = kafka.producer();
  await producer.connect();
  const { db } = poolFor(databaseUrl);
  const consumer = new InboxConsumer<SqlExecutor>({
    kafka,
    consumerConfig: consumerConfig(kafkaSettings(brokers.split(',')), groupId),
    dlqProducer: producer,
    transaction: db,
    schema: TEST_SCHEMA,
    logger: silentLogger,
    catalog: agentCatalogOn(topic),
    topics: [topic],
    route: () => ({
      each: async (event, tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO ${TEST_SCHEMA}.test_effect (event_id, tenant_id) VALUES ($1, $2)`, event.id, event.tenantid);
        process.stdout.write('received\n');
        process.kill(process.pid, 'SIGKILL');
      },
    }),
  });
  await consumer.start();
}

main().catch((error) => {
  process.stderr.write(String(error));
  process.exit(2);
});
