import { describe, expect, it } from 'vitest';
import { formatSummary, withoutPassword } from './summary';

const services = [
  { name: 'proactive-delivery', pid: 101, url: 'http://127.0.0.1:3001', health: 'ready' },
  { name: 'crm-sync', pid: 103, url: 'http://127.0.0.1:3003', health: 'ready' },
];

describe('npm start summary (P4.4)', () => {
  it('P4.4 lists each service with its URL, API page and health in aligned columns', () => {
    const text = formatSummary({
      services,
      postgres: { url: 'postgresql://postgres@127.0.0.1:5432/switchboard', source: 'local' },
      kafka: { brokers: ['127.0.0.1:40000'], mock: true, mockLabel: 'kcat mock cluster' },
      logDir: '.local/logs',
      readyInMs: 12_345,
    });
    const lines = text.split('\n');

    expect(lines).toContain('Switchboard is up — 2 services ready in 12.3 s');
    expect(lines).toContain('  service              pid   URL                     API page                     health');
    expect(lines).toContain('  proactive-delivery   101   http://127.0.0.1:3001   http://127.0.0.1:3001/docs   ready');
    expect(lines).toContain('  crm-sync             103   http://127.0.0.1:3003   http://127.0.0.1:3003/docs   ready');
    expect(text).toContain('Postgres  postgresql://postgres@127.0.0.1:5432/switchboard  (local default)');
    expect(text).toContain('Kafka     127.0.0.1:40000  (local kcat mock cluster; in memory, gone when stopped)');
    expect(text).toContain('Logs      .local/logs/<service>.log');
    expect(text).toContain('npm run mint-token -- --tenant <tenant uuid> --roles Administrator');
    expect(text).toContain('Ctrl-C stops everything.');
  });

  it('P4.4 names where explicit infrastructure came from and never prints a password', () => {
    const text = formatSummary({
      services,
      postgres: { url: 'postgresql://app:s3cret@db.internal:6543/switchboard', source: 'env' },
      kafka: { brokers: ['k1:9092', 'k2:9092'], mock: false },
      logDir: '/var/log/sb',
      readyInMs: 1_000,
    });

    expect(text).toContain('Postgres  postgresql://app@db.internal:6543/switchboard  (DATABASE_URL)');
    expect(text).toContain('Kafka     k1:9092,k2:9092  (KAFKA_BROKERS)');
    expect(text).not.toContain('s3cret');
  });

  it('P4.4 says when it started the local Postgres cluster itself', () => {
    const text = formatSummary({
      services,
      postgres: { url: 'postgresql://postgres@127.0.0.1:5432/switchboard', source: 'local', note: 'started the local cluster 15 main' },
      kafka: { brokers: ['127.0.0.1:40000'], mock: true },
      logDir: '.local/logs',
      readyInMs: 1_000,
    });

    expect(text).toContain('(local default, started the local cluster 15 main)');
  });

  it('P4.4 names the npm fallbacks: embedded Postgres and the npm Kafka mock', () => {
    const text = formatSummary({
      services,
      postgres: {
        url: 'postgresql://postgres@127.0.0.1:41234/switchboard',
        source: 'embedded',
        note: 'nothing answered on 127.0.0.1:5432: embedded Postgres from npm, data in .local/postgres',
      },
      kafka: { brokers: ['127.0.0.1:40000'], mock: true, mockLabel: 'npm mock cluster (@confluentinc/kafka-javascript, librdkafka 2.15.0)' },
      logDir: '.local/logs',
      readyInMs: 1_000,
    });

    expect(text).toContain(
      'Postgres  postgresql://postgres@127.0.0.1:41234/switchboard  (embedded, nothing answered on 127.0.0.1:5432: embedded Postgres from npm, data in .local/postgres)',
    );
    expect(text).toContain('Kafka     127.0.0.1:40000  (local npm mock cluster (@confluentinc/kafka-javascript, librdkafka 2.15.0); in memory, gone when stopped)');
  });

  it('P4.4 strips passwords from URLs and leaves URLs without one alone', () => {
    expect(withoutPassword('postgresql://u:p%40ss@h:5432/db?schema=x')).toBe('postgresql://u@h:5432/db?schema=x');
    expect(withoutPassword('postgresql://u@h/db')).toBe('postgresql://u@h/db');
    expect(withoutPassword('not a url :p@ss')).toBe('(unparseable DATABASE_URL)');
  });
});
