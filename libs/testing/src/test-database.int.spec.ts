import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { databaseExists } from './test-database';
import { createTestDatabase, testInfra } from './test-infra';

describe('createTestDatabase on the picked Postgres server', () => {
  it('creates a usable sb_t_<prefix>_<random> database and drop() removes it even with a connection open', async () => {
    const database = await createTestDatabase('testing_lib');
    const name = new URL(database.url).pathname.slice(1);
    expect(name).toMatch(/^sb_t_testing_lib_[0-9a-f]{8}$/);

    const lingering = new pg.Client({ connectionString: database.url });
    lingering.on('error', () => undefined); // FORCE terminates it; that is the point
    await lingering.connect();
    await lingering.query('CREATE TABLE probe (id int PRIMARY KEY)');
    await lingering.query('INSERT INTO probe VALUES (1)');
    expect((await lingering.query('SELECT id FROM probe')).rows).toEqual([{ id: 1 }]);

    await database.drop();
    expect(await databaseExists(testInfra().databaseUrl, name)).toBe(false);
    await lingering.end().catch(() => undefined);
  });

  it('gives two calls with the same prefix two different databases', async () => {
    const [first, second] = await Promise.all([createTestDatabase('twin'), createTestDatabase('twin')]);
    try {
      expect(first.url).not.toBe(second.url);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });

  it('rejects a prefix that is not a plain lower-case identifier', async () => {
    await expect(createTestDatabase('Bad-Name; DROP')).rejects.toThrow(/must match/);
  });

  it('exposes what global setup picked, the same through testInfra() and vitest inject', () => {
    const infra = testInfra();
    expect(infra.kafkaBrokers.length).toBeGreaterThan(0);
    expect(['env', 'container', 'local']).toContain(infra.infraKind.postgres);
    expect(['env', 'container', 'local']).toContain(infra.infraKind.kafka);
    expect(infra).toEqual({ databaseUrl: inject('databaseUrl'), kafkaBrokers: inject('kafkaBrokers'), infraKind: inject('infraKind') });
  });
});
