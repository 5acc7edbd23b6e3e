import { describe, expect, it } from 'vitest';
import { ProviderSendError } from '../providers/messaging-provider';
import { ProviderConfigurationError } from '../providers/provider-factory';
import { decideFailure } from './retry-policy';

const settings = { maxAttempts: 4, initialDelayMs: 1_000, maxDelayMs: 5_000 };

describe('failed sends (OM3.3, OM3.4 provider 429s backed off)', () => {
  it('OM3.4 a provider 429 with Retry-After waits that long and holds the sender back as much', () => {
    const error = new ProviderSendError('Too Many Requests', { retryable: true, retryAfterMs: 7_000, providerCode: '20429' });
    expect(decideFailure(error, 1, settings)).toEqual({ kind: 'retry', delayMs: 7_000, errorCode: '20429', errorMessage: 'Too Many Requests', senderBackoffMs: 7_000 });
  });

  it('OM3.3 transient failures back off exponentially up to the cap, then fail', () => {
    const error = new ProviderSendError('Service Unavailable', { retryable: true, providerCode: '503' });
    expect([1, 2, 3].map((attempt) => decideFailure(error, attempt, settings))).toEqual([
      expect.objectContaining({ kind: 'retry', delayMs: 1_000 }),
      expect.objectContaining({ kind: 'retry', delayMs: 2_000 }),
      expect.objectContaining({ kind: 'retry', delayMs: 4_000 }),
    ]);
    expect(decideFailure(error, 4, settings)).toEqual({ kind: 'fail', errorCode: '503', errorMessage: 'gave up after 4 attempts: Service Unavailable' });
    expect(decideFailure(new Error('socket hang up'), 3, { ...settings, initialDelayMs: 4_000 })).toMatchObject({ kind: 'retry', delayMs: 5_000 });
  });

  it('OM3.3 a refusal by the provider or a misconfigured channel fails at once, with the provider\'s code', () => {
    expect(decideFailure(new ProviderSendError("The 'To' number is not a valid phone number.", { retryable: false, providerCode: '21211' }), 1, settings)).toEqual({
      kind: 'fail',
      errorCode: '21211',
      errorMessage: "The 'To' number is not a valid phone number.",
    });
    expect(decideFailure(new ProviderConfigurationError('the Twilio channel has no auth token'), 1, settings)).toMatchObject({ kind: 'fail', errorCode: 'provider-configuration' });
  });
});
