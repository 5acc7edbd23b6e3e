import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_AUTH_TOKEN, startLocalMessagingProviders } from './messaging-peers';
import { StartError } from './start-error';

describe('npm start: the Twilio and ACS SMS simulators beside outbound-messaging', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('OM3.4 runs both simulators and points only outbound-messaging at them (simulator target, allow-list)', async () => {
    const peers = await startLocalMessagingProviders({ TWILIO_SIMULATOR_PORT: '0', ACS_SIMULATOR_PORT: '0' });
    close = peers.close;
    const twilioUrl = peers.twilio?.url ?? '';
    const auth = `Basic ${Buffer.from(`${LOCAL_TWILIO_ACCOUNT_SID}:${LOCAL_TWILIO_AUTH_TOKEN}`).toString('base64')}`;
    const sent = await fetch(`${twilioUrl}/2010-04-01/Accounts/${LOCAL_TWILIO_ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+14155550123', From: '+18005550199', Body: 'hi' }).toString(),
    });
    expect(sent.status).toBe(201);
    expect(peers.serviceEnv({ name: 'outbound-messaging', port: 3002 })).toEqual({
      PUBLIC_BASE_URL: 'http://127.0.0.1:3002',
      OUTBOUND_HTTP_ALLOW: `${new URL(twilioUrl).hostname}/32`,
      MESSAGING_SIMULATOR_URL: twilioUrl,
      MESSAGING_SIMULATOR_ACCOUNT_SID: LOCAL_TWILIO_ACCOUNT_SID,
      MESSAGING_SIMULATOR_AUTH_TOKEN: LOCAL_TWILIO_AUTH_TOKEN,
    });
    expect(peers.serviceEnv({ name: 'crm-sync', port: 3003 })).toEqual({});
    expect(peers.summaryLines.join('\n')).toContain(peers.acs?.url ?? 'missing');
  });

  it('P4.4 TWILIO_SIMULATOR_PORT / ACS_SIMULATOR_PORT=off leave them out; a bad port is one sentence', async () => {
    const peers = await startLocalMessagingProviders({ TWILIO_SIMULATOR_PORT: 'off', ACS_SIMULATOR_PORT: 'off' });
    expect([peers.twilio, peers.acs]).toEqual([undefined, undefined]);
    expect(peers.serviceEnv({ name: 'outbound-messaging', port: 3002 })).toEqual({ PUBLIC_BASE_URL: 'http://127.0.0.1:3002' });
    await expect(startLocalMessagingProviders({ TWILIO_SIMULATOR_PORT: 'ninety' })).rejects.toThrow(StartError);
  });
});
