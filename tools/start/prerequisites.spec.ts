import { KcatNotInstalledError, LOCAL_POSTGRES_URL } from '@switchboard/testing';
import { describe, expect, it, vi } from 'vitest';
import type { ClusterStart } from './local-postgres';
import { chooseKafka, choosePostgres, KCAT_MISSING, nodeVersionProblem, type PostgresDeps } from './prerequisites';
import { StartError } from './start-error';

const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');

function postgresDeps(checks: Array<Error | undefined>, cluster: ClusterStart = { outcome: 'no-cluster-tools' }) {
  const answers = [...checks];
  return {
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

      expect(sentence).toBe('Postgres: nothing answers on 127.0.0.1:5432 — install PostgreSQL (sudo apt-get install postgresql) or set DATABASE_URL.');
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

    it('P4.4 uses KAFKA_BROKERS after checking them, and starts no mock', async () => {
      const deps = { checkKafkaBrokers: vi.fn(async () => undefined), startMockKafka: vi.fn(async () => mock) };

      expect(await chooseKafka({ KAFKA_BROKERS: 'k1:9092, k2:9092' }, deps)).toEqual({ brokers: ['k1:9092', 'k2:9092'] });
      expect(deps.checkKafkaBrokers).toHaveBeenCalledWith(['k1:9092', 'k2:9092']);
      expect(deps.startMockKafka).not.toHaveBeenCalled();
    });

    it('P4.4 says KAFKA_BROKERS does not answer instead of falling back silently', async () => {
      const deps = { checkKafkaBrokers: vi.fn(async () => Promise.reject(new Error('k1:9092: connect ECONNREFUSED'))), startMockKafka: vi.fn(async () => mock) };

      const sentence = await sentenceOf(chooseKafka({ KAFKA_BROKERS: 'k1:9092' }, deps));

      expect(sentence).toBe('Kafka: KAFKA_BROKERS (k1:9092) does not answer (k1:9092: connect ECONNREFUSED) — start that broker or unset KAFKA_BROKERS to use a local mock.');
      expect(deps.startMockKafka).not.toHaveBeenCalled();
    });

    it('P4.4 starts the local mock cluster when KAFKA_BROKERS is unset', async () => {
      const deps = { checkKafkaBrokers: vi.fn(async () => undefined), startMockKafka: vi.fn(async () => mock) };

      expect(await chooseKafka({}, deps)).toEqual({ brokers: ['127.0.0.1:40000'], mock });
    });

    it('P4.4 names the package to install when kcat is missing', async () => {
      const deps = { checkKafkaBrokers: vi.fn(async () => undefined), startMockKafka: vi.fn(async () => Promise.reject(new KcatNotInstalledError())) };

      expect(await sentenceOf(chooseKafka({}, deps))).toBe(KCAT_MISSING);
      expect(KCAT_MISSING).toBe('Kafka: kcat is not installed — install it with `sudo apt-get install kcat`, or set KAFKA_BROKERS to a running Kafka.');
    });

    it('P4.4 passes on why an installed kcat failed', async () => {
      const deps = { checkKafkaBrokers: vi.fn(async () => undefined), startMockKafka: vi.fn(async () => Promise.reject(new Error('kcat exited (1) before the mock cluster was ready'))) };

      expect(await sentenceOf(chooseKafka({}, deps))).toBe(
        'Kafka: the local mock cluster (kcat) did not start (kcat exited (1) before the mock cluster was ready) — set KAFKA_BROKERS to a running Kafka.',
      );
    });
  });
});
