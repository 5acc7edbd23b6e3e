import { AcsSmsSimulator, TwilioSimulator } from '@switchboard/testing';
import { onPeerAddress, peerPort } from './local-peer';

export const LOCAL_TWILIO_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const LOCAL_TWILIO_AUTH_TOKEN = 'simulated-twilio-auth-token';
export const LOCAL_ACS_ACCESS_KEY = Buffer.from('simulated-acs-access-key-32bytes').toString('base64');

interface MessagingPeers {
  twilio?: TwilioSimulator;
  acs?: AcsSmsSimulator;
  serviceEnv(service: { name: string; port: number }): Record<string, string>;
  summaryLines: string[];
  close(): Promise<void>;
}

/**
 * The SMS provider simulators of `npm start`, beside outbound-messaging: the Twilio API simulator
 * (TWILIO_SIMULATOR_PORT, default SWITCHBOARD_PORT_BASE + 92) — the deployment's message simulator, so
 * outbound-messaging gets MESSAGING_SIMULATOR_* pointing at it and PUBLIC_BASE_URL (its own address, for callbacks) — and the ACS SMS simulator
 * (ACS_SIMULATOR_PORT, + 93) for ACS channels. `off` leaves one out. Only their address is allow-listed.
 */
export async function startLocalMessagingProviders(env: NodeJS.ProcessEnv): Promise<MessagingPeers> {
  const twilioPort = peerPort(env, 'TWILIO_SIMULATOR_PORT', 92);
  const acsPort = peerPort(env, 'ACS_SIMULATOR_PORT', 93);
  const twilio =
    twilioPort === 'off'
      ? undefined
      : await onPeerAddress((host) => TwilioSimulator.start({ host, port: twilioPort, accounts: [{ accountSid: LOCAL_TWILIO_ACCOUNT_SID, authToken: LOCAL_TWILIO_AUTH_TOKEN }] }));
  const acs = acsPort === 'off' ? undefined : await onPeerAddress((host) => AcsSmsSimulator.start({ host, port: acsPort, accessKey: LOCAL_ACS_ACCESS_KEY })).catch(async (error: unknown) => {
    await twilio?.close();
    throw error;
  });
  const hosts = [...new Set([twilio?.url, acs?.url].flatMap((url) => (url ? [`${new URL(url).hostname}/32`] : [])))];
  const serviceEnv = (service: { name: string; port: number }): Record<string, string> => {
    if (service.name !== 'outbound-messaging') return {};
    return {
      // Where the simulators post status callbacks and events: the service itself, on this machine.
      PUBLIC_BASE_URL: env['PUBLIC_BASE_URL'] ?? `http://127.0.0.1:${service.port}`,
      ...(hosts.length > 0 ? { OUTBOUND_HTTP_ALLOW: env['OUTBOUND_HTTP_ALLOW'] ?? hosts.join(',') } : {}),
      ...(twilio ? { MESSAGING_SIMULATOR_URL: twilio.url, MESSAGING_SIMULATOR_ACCOUNT_SID: LOCAL_TWILIO_ACCOUNT_SID, MESSAGING_SIMULATOR_AUTH_TOKEN: LOCAL_TWILIO_AUTH_TOKEN } : {}),
    };
  };
  return {
    twilio,
    acs,
    serviceEnv,
    summaryLines: [
      twilio
        ? `  Twilio simulator: ${twilio.url} (account ${LOCAL_TWILIO_ACCOUNT_SID}, auth token "${LOCAL_TWILIO_AUTH_TOKEN}"; README "outbound-messaging: providers and simulators")`
        : '  Twilio simulator: off (TWILIO_SIMULATOR_PORT=off)',
      acs ? `  ACS SMS simulator: ${acs.url} (endpoint; access key ${LOCAL_ACS_ACCESS_KEY})` : '  ACS SMS simulator: off (ACS_SIMULATOR_PORT=off)',
    ],
    close: async () => {
      await Promise.all([twilio?.close(), acs?.close()]);
    },
  };
}
