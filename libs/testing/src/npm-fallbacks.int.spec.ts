import pg from 'pg';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres';
import { checkKafkaBrokers } from './kafka-brokers';
import { type NpmMockKafka, NpmKafkaMockNotInstalledError, startNpmMockKafka } from './npm-kafka-mock';
import { kafkaRoundTrip } from './test-support/kafka-round-trip';

const answers = (broker: string) => checkKafkaBrokers([broker]).then(
  () => true,
  () => false,
);

/**
 * P4.4 / issue 12 "only Node needed": the two npm fallbacks, really started. Embedded Postgres runs the
 * server binaries from @embedded-postgres/<platform> (as the `postgres` user when the test runs as root);
 * the npm Kafka mock is librdkafka's mock cluster inside @confluentinc/kafka-javascript.
 */
describe('npm fallbacks for a machine with only Node (P4.4)', () => {
  describe('embedded Postgres from npm', () => {
    let server: EmbeddedPostgresServer | undefined;

    beforeAll(async () => {
      server = await startEmbeddedPostgres();
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('P4.4 answers queries as user postgres with trust auth on a loopback port, and stop() removes its temp data dir', async () => {
      const started = server as EmbeddedPostgresServer;
      expect(started.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const client = new pg.Client({ connectionString: started.url });
      await client.connect();
      try {
        await client.query('CREATE TABLE only_node (id int PRIMARY KEY, note text)');
        await client.query("INSERT INTO only_node VALUES (1, 'embedded')");
        const { rows } = await client.query<{ note: string; version: string }>('SELECT note, current_setting(\'server_version\') AS version FROM only_node');
        expect(rows).toEqual([{ note: 'embedded', version: expect.stringMatching(/^\d+\.\d+/) }]);
      } finally {
        await client.end();
      }

      await started.stop();
      server = undefined;
      expect(existsSync(started.dataDir)).toBe(false);
    });
  });

  describe('the npm Kafka mock (@confluentinc/kafka-javascript)', () => {
    let mock: NpmMockKafka | undefined;
    let notInstalled: string | undefined;

    beforeAll(async () => {
      try {
        mock = await startNpmMockKafka();
      } catch (error) {
        if (!(error instanceof NpmKafkaMockNotInstalledError)) throw error;
        // It is an optional dependency: its native build can fail at install. The picker then says so too.
        notInstalled = error.message;
        console.warn(`[npm-fallbacks.int.spec] npm Kafka mock tests skipped: ${notInstalled}`);
      }
    }, 60_000);

    afterAll(async () => {
      await mock?.stop();
    });

    it('P4.4 reports a loopback broker and carries a keyed message with headers between kafkajs clients', async (ctx) => {
      ctx.skip(notInstalled !== undefined, notInstalled);
      const started = mock as NpmMockKafka;
      expect(started.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
      expect(started.librdkafkaVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(await kafkaRoundTrip(started.brokers, 'npm-mock-spec')).toEqual({ key: 'order-1', value: 'hello mock', trace: 'abc' });
    });

    it('P4.4 stop() ends the child process so the broker port closes', async (ctx) => {
      ctx.skip(notInstalled !== undefined, notInstalled);
      const own = await startNpmMockKafka();
      expect(await answers(own.brokers[0])).toBe(true);
      await own.stop();
      expect(await answers(own.brokers[0])).toBe(false);
    });
  });
});
