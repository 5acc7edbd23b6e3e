import { ConfigError, loadConfig } from '@switchboard/service-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crmSyncEnv } from './config';

const required = { PORT: '3003', KAFKA_BROKERS: '127.0.0.1:9092', SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };

/** The problems loadConfig refuses the environment with (it prints the same lines to stderr, silenced here). */
function problemsOf(env: Record<string, string>): readonly string[] {
  vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  try {
    loadConfig(crmSyncEnv, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe('crm-sync configuration', () => {
  afterEach(() => vi.restoreAllMocks());

  it('CS6.2 never prints the outcome e-mail server address, which carries its password', () => {
    const problems = problemsOf({ ...required, OUTCOME_EMAIL_SMTP_URL: 'http://mailer:hunter2@mail.example.com' });

    expect(problems).toEqual(['OUTCOME_EMAIL_SMTP_URL must be an smtp:// or smtps:// URL, value hidden']);
  });
});
