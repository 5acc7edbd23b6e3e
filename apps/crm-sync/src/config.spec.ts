import { ConfigError, loadConfig } from '@switchboard/service-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crmSyncEnv } from './config';

const required = { PORT: '3003', KAFKA_BROKERS: '127.0.0.1:9092', SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };

describe('crm-sync configuration', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('CS6.2 never prints the outcome e-mail server address, which carries its password', () => {
    expect(() => loadConfig(crmSyncEnv, { env: { ...required, OUTCOME_EMAIL_SMTP_URL: 'http://mailer:hunter2@mail.example.com' } })).toThrow(ConfigError);

    expect(printed).toEqual(['config: OUTCOME_EMAIL_SMTP_URL must be an smtp:// or smtps:// URL, value hidden\n']);
  });
});
