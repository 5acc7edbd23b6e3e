import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { HELP_TEXT_MAX_LENGTH } from '../consent/help-answer';
import { CHANNEL_TYPES } from '../templates/template-rendering';
import { parseSender, type SenderType } from './sender';

export const CHANNEL_LABEL = 'The channel';
export const PROVIDERS = ['twilio', 'acs', 'simulator'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const httpUrl = z
  .string()
  .max(2048)
  .refine((url) => /^https?:\/\/[^/?#]+/i.test(url) && URL.canParse(url), 'must be an absolute http(s) URL');
/** Secrets are write-only: one line of visible characters, never shown again. */
const secret = z.string().min(1).max(512).regex(/^[\x21-\x7e]+$/, 'must be one line of visible characters');

const common = {
  name: z.string().trim().min(1).max(100),
  channelType: z.enum(CHANNEL_TYPES),
  sender: z.string().min(1).max(64),
  /** Leave out for the sender type's default (long code 1/s, toll-free 3/s, short code 100/s, …). */
  messagesPerSecond: z.number().min(0.01).max(10_000).optional(),
  /** The answer to a HELP keyword (OM5.2); leave out for the default naming the channel and how to opt out. */
  helpText: z.string().trim().min(1).max(HELP_TEXT_MAX_LENGTH).optional(),
};

const providerSchema = z.discriminatedUnion('provider', [
  closed({
    ...common,
    provider: z.literal('twilio'),
    account: closed({
      accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio account SID (AC and 32 hex digits)'),
      apiKeySid: z.string().regex(/^SK[0-9a-f]{32}$/, 'must be a Twilio API key SID (SK and 32 hex digits)').optional(),
      /** Another address for Twilio's REST API (a regional edge, or the Twilio simulator). */
      apiBaseUrl: httpUrl.optional(),
    }),
    credentials: closed({ authToken: secret }).optional(),
  }),
  closed({
    ...common,
    provider: z.literal('acs'),
    account: closed({ endpoint: httpUrl }),
    credentials: closed({
      accessKey: z.base64().min(1).max(512),
      /** The secret of the Event Grid subscription's webhook URL (`?code=`): delivery reports and replies are refused without it. */
      eventGridSecret: z.string().regex(/^[A-Za-z0-9._~-]{24,128}$/, 'must be 24 to 128 URL-safe characters (letters, digits, . _ ~ -)').optional(),
    }).optional(),
  }),
  closed({ ...common, provider: z.literal('simulator'), account: closed({}).default({}), credentials: closed({}).optional() }),
]);

/** The body of POST and PUT /outbound/channels (OM2.1 channel, OM3.4 provider and throughput). */
export const channelSchema = providerSchema.transform((channel, ctx) => {
  const parsed = parseSender(channel.channelType, channel.sender);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', path: ['sender'], message: parsed.reason });
    return z.NEVER;
  }
  if (channel.provider === 'acs' && channel.channelType === 'whatsapp') {
    ctx.addIssue({ code: 'custom', path: ['provider'], message: 'Azure Communication Services SMS sends SMS only; WhatsApp goes through Twilio' });
    return z.NEVER;
  }
  return { ...channel, sender: parsed.sender, senderType: parsed.senderType as SenderType };
});

export type ChannelInput = z.output<typeof channelSchema>;
export type ChannelCredentials = { authToken?: string; accessKey?: string; eventGridSecret?: string };

export const channelExample: z.input<typeof channelSchema> = {
  name: 'Support line',
  channelType: 'sms',
  provider: 'twilio',
  sender: '+18005550199',
  account: { accountSid: 'AC0123456789abcdef0123456789abcdef' },
  credentials: { authToken: 'your_auth_token_0123456789abcdef' },
};

/** What the API shows: every setting, of the credentials only whether they are set. */
export interface ChannelView {
  id: string;
  name: string;
  channelType: ChannelInput['channelType'];
  provider: ProviderName;
  sender: string;
  senderType: SenderType;
  messagesPerSecond: number;
  /** Null: the default answer to HELP. */
  helpText: string | null;
  account: Record<string, string>;
  credentialsSet: boolean;
  createdAt: string;
  updatedAt: string;
}
