import { describe, expect, it } from 'vitest';
import { publishTestInfra, TEST_INFRA_ENV, testInfra } from './test-infra';

describe('testInfra() hand-over from global setup to test workers', () => {
  it('reads back exactly what was published', () => {
    const env: NodeJS.ProcessEnv = {};
    const infra = { databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres', kafkaBrokers: ['127.0.0.1:1234'], infraKind: { postgres: 'local', kafka: 'local' } } as const;
    publishTestInfra({ ...infra, kafkaBrokers: [...infra.kafkaBrokers] }, env);
    expect(testInfra(env)).toEqual(infra);
  });

  it('says how to get infrastructure when nothing was published', () => {
    expect(() => testInfra({})).toThrow(`testInfra(): no test infrastructure was published (${TEST_INFRA_ENV} is unset)`);
  });

  it('rejects a published value of the wrong shape instead of handing out undefined addresses', () => {
    expect(() => testInfra({ [TEST_INFRA_ENV]: '{"databaseUrl":"x"}' })).toThrow(/does not hold databaseUrl, kafkaBrokers and infraKind/);
  });
});
