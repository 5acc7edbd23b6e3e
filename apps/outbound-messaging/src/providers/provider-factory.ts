import { createHash } from 'node:crypto';
import type { OutboundHttpClient } from '@switchboard/outbound-http';
import { z } from 'zod';
import { AcsSmsProvider } from './acs/acs-sms-provider';
import type { MessagingProvider } from './messaging-provider';
import { TwilioProvider } from './twilio/twilio-provider';

/** A sending channel's provider settings, as the channels API stores them (credentials unsealed). */
export type ProviderChannel =
  | { provider: 'twilio'; account: { accountSid: string; apiKeySid?: string; apiBaseUrl?: string }; credentials: { authToken?: string } }
  | { provider: 'acs'; account: { endpoint: string }; credentials: { accessKey?: string; eventGridSecret?: string } }
  | { provider: 'simulator' };

/** The deployment's message simulator: a Twilio API simulator (ours under `npm start`, libs/testing in tests). */
export interface MessagingSimulatorTarget {
  url: string;
  accountSid: string;
  authToken: string;
}

/** Environment variables naming the simulator; a service config extends its schema with this shape. */
export const messagingSimulatorEnv = z.object({
  MESSAGING_SIMULATOR_URL: z.url({ protocol: /^https?$/ }).optional(),
  MESSAGING_SIMULATOR_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio account SID').optional(),
  MESSAGING_SIMULATOR_AUTH_TOKEN: z.string().min(1).optional(),
});

export function simulatorTargetFromEnv(env: z.infer<typeof messagingSimulatorEnv>): MessagingSimulatorTarget | undefined {
  const { MESSAGING_SIMULATOR_URL: url, MESSAGING_SIMULATOR_ACCOUNT_SID: accountSid, MESSAGING_SIMULATOR_AUTH_TOKEN: authToken } = env;
  return url && accountSid && authToken ? { url, accountSid, authToken } : undefined;
}

export class ProviderConfigurationError extends Error {
  override readonly name = 'ProviderConfigurationError';
}

/**
 * Chooses the provider client for a channel (OM3.4): Twilio or ACS with the channel's own account, or the
 * simulator. The simulator is the Twilio simulator reached through the same TwilioProvider (kind `simulator`):
 * local runs then exercise the real SDK, signed callbacks and inbound webhooks end to end, with no second
 * code path. Clients are kept per distinct settings (SDK clients are reusable and cost to build).
 */
export class MessagingProviderFactory {
  private readonly clients = new Map<string, MessagingProvider>();
  /** The client of each settings object already seen: the sender passes the same opened channel for every message of a channel version, so it is not hashed per message. */
  private readonly clientOf = new WeakMap<ProviderChannel, MessagingProvider>();

  constructor(
    private readonly http: OutboundHttpClient,
    private readonly simulator?: MessagingSimulatorTarget,
  ) {}

  forChannel(channel: ProviderChannel): MessagingProvider {
    const known = this.clientOf.get(channel);
    if (known) return known;
    const key = createHash('sha256').update(JSON.stringify(channel)).digest('base64');
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(channel);
      this.clients.set(key, client);
    }
    this.clientOf.set(channel, client);
    return client;
  }

  /** The auth token Twilio (or the simulator) signs this channel's webhooks with; undefined for ACS. */
  webhookAuthToken(channel: ProviderChannel): string | undefined {
    if (channel.provider === 'simulator') return this.simulator?.authToken;
    if (channel.provider === 'twilio' && !channel.account.apiKeySid) return channel.credentials.authToken;
    return undefined;
  }

  /** The secret in the URL of this channel's Event Grid subscription (ACS delivery reports and replies); undefined for others. */
  eventGridSecret(channel: ProviderChannel): string | undefined {
    return channel.provider === 'acs' ? channel.credentials.eventGridSecret : undefined;
  }

  private create(channel: ProviderChannel): MessagingProvider {
    switch (channel.provider) {
      case 'twilio': {
        const { accountSid, apiKeySid, apiBaseUrl } = channel.account;
        if (!channel.credentials.authToken) throw new ProviderConfigurationError('the Twilio channel has no auth token');
        return new TwilioProvider({ accountSid, apiKeySid, apiBaseUrl, authToken: channel.credentials.authToken }, this.http);
      }
      case 'acs': {
        if (!channel.credentials.accessKey) throw new ProviderConfigurationError('the ACS channel has no access key');
        const endpoint = channel.account.endpoint.endsWith('/') ? channel.account.endpoint : `${channel.account.endpoint}/`;
        return new AcsSmsProvider({ connectionString: `endpoint=${endpoint};accesskey=${channel.credentials.accessKey}` }, this.http);
      }
      case 'simulator': {
        const target = this.simulator;
        if (!target) throw new ProviderConfigurationError('no message simulator is configured (MESSAGING_SIMULATOR_URL, _ACCOUNT_SID, _AUTH_TOKEN)');
        return new TwilioProvider({ accountSid: target.accountSid, authToken: target.authToken, apiBaseUrl: target.url }, this.http, 'simulator');
      }
    }
  }
}
