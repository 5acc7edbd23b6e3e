import { OutboundHttpClient } from '@switchboard/outbound-http';
import { AcsSmsSimulator, TwilioSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MessagingProviderFactory, ProviderConfigurationError, simulatorTargetFromEnv } from './provider-factory';

const message = { channel: 'sms' as const, from: '+18005550199', to: '+14155550123', body: 'hi', clientReference: 'm-1' };

describe('provider factory: twilio | acs | simulator by channel (OM3.4)', () => {
  let twilioSim: TwilioSimulator;
  let acsSim: AcsSmsSimulator;
  let http: OutboundHttpClient;
  let factory: MessagingProviderFactory;

  beforeAll(async () => {
    [twilioSim, acsSim] = await Promise.all([TwilioSimulator.start({ autoAdvance: false }), AcsSmsSimulator.start()]);
    http = new OutboundHttpClient({ allow: ['127.0.0.1/32'] });
    factory = new MessagingProviderFactory(http, { url: twilioSim.url, accountSid: twilioSim.account.accountSid, authToken: twilioSim.account.authToken });
  });
  afterAll(async () => {
    await Promise.all([twilioSim.close(), acsSim.close(), http.close()]);
  });

  it('OM3.4 a Twilio channel sends with its own account through the Twilio API', async () => {
    const provider = factory.forChannel({ provider: 'twilio', account: { accountSid: twilioSim.account.accountSid, apiBaseUrl: twilioSim.url }, credentials: { authToken: twilioSim.account.authToken } });
    expect(provider.kind).toBe('twilio');
    await expect(provider.send(message)).resolves.toMatchObject({ providerMessageId: expect.stringMatching(/^SM/) });
  });

  it('OM3.4 an ACS channel sends with its endpoint and access key', async () => {
    const provider = factory.forChannel({ provider: 'acs', account: { endpoint: acsSim.url }, credentials: { accessKey: acsSim.accessKey } });
    expect(provider.kind).toBe('acs');
    await expect(provider.send(message)).resolves.toMatchObject({ providerMessageId: expect.stringMatching(/^Outgoing_/) });
  });

  it('OM3.4 the simulator channel is the Twilio simulator through the Twilio client; clients are reused', async () => {
    const provider = factory.forChannel({ provider: 'simulator' });
    expect(provider.kind).toBe('simulator');
    const before = twilioSim.messages.size;
    await provider.send(message);
    expect(twilioSim.messages.size).toBe(before + 1);
    expect(factory.forChannel({ provider: 'simulator' })).toBe(provider);
    expect(factory.webhookAuthToken({ provider: 'simulator' })).toBe(twilioSim.account.authToken);
  });

  it('OM3.4 the same opened channel is not serialized and hashed again for every message', () => {
    const channel = { provider: 'twilio' as const, account: { accountSid: twilioSim.account.accountSid, apiBaseUrl: twilioSim.url }, credentials: { authToken: twilioSim.account.authToken } };
    const provider = factory.forChannel(channel);
    const serialized = vi.spyOn(JSON, 'stringify');
    try {
      expect(factory.forChannel(channel)).toBe(provider);
      expect(serialized).not.toHaveBeenCalled();
      // Equal settings in another object still share the client.
      expect(factory.forChannel({ ...channel })).toBe(provider);
    } finally {
      serialized.mockRestore();
    }
  });

  it('OM3.4 a channel without credentials or a missing simulator is a configuration error', () => {
    expect(() => factory.forChannel({ provider: 'twilio', account: { accountSid: `AC${'0'.repeat(32)}` }, credentials: {} })).toThrow(ProviderConfigurationError);
    expect(() => factory.forChannel({ provider: 'acs', account: { endpoint: 'https://x.communication.azure.com' }, credentials: {} })).toThrow(ProviderConfigurationError);
    expect(() => new MessagingProviderFactory(http).forChannel({ provider: 'simulator' })).toThrow(/MESSAGING_SIMULATOR_URL/);
  });

  it('OM3.4 the simulator target comes from the environment only when complete', () => {
    expect(simulatorTargetFromEnv({ MESSAGING_SIMULATOR_URL: 'http://127.0.0.1:3092' })).toBeUndefined();
    expect(simulatorTargetFromEnv({ MESSAGING_SIMULATOR_URL: 'http://127.0.0.1:3092', MESSAGING_SIMULATOR_ACCOUNT_SID: 'AC1', MESSAGING_SIMULATOR_AUTH_TOKEN: 't' })).toEqual({ url: 'http://127.0.0.1:3092', accountSid: 'AC1', authToken: 't' });
  });
});
