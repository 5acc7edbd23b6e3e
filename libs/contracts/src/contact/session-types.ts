import { z } from 'zod';

/**
 * CCAI Platform session types (EB1.4), in their canonical spelling. The adapter-event intake (wt-eb-ingest)
 * defines the same list and canonicalSessionType in agent/session-types.ts; when both are merged, this file
 * keeps only the schema and the channel mapping and imports the list from there.
 */
export const SessionTypes = [
  'Voice Inbound',
  'Voice Inbound (IVR using Mobile)',
  'Voice Inbound (Mobile)',
  'Voice Callback (Web)',
  'Voice Inbound (API)',
  'Voice Scheduled (Mobile)',
  'Voice Scheduled (Web)',
  'Voice Outbound Call',
  'Voice Outbound (API)',
  'Voice Campaign',
  'Messaging (WhatsApp)',
  'Messaging Inbound (SMS)',
  'Messaging Outbound (SMS)',
  'Messaging Outbound (SMS via API)',
  'Messaging (Web)',
  'Messaging (Mobile)',
  'Screen Share Session',
] as const;

export type SessionType = (typeof SessionTypes)[number];

/** Channels a session runs on; a session type implies one (channelOfSessionType). */
export const SessionChannels = ['voice', 'chat', 'messaging', 'screen_share', 'video', 'email'] as const;

export type SessionChannel = (typeof SessionChannels)[number];

/**
 * Other spellings the source's own samples use for the same types: "(UJET)" is the platform's former name,
 * "messaging inbound (web chat)" what the chat adapter reports for a web-SDK chat. In comparable() form.
 */
const aliases: Record<string, SessionType> = {
  'voice campaign (ujet)': 'Voice Campaign',
  'messaging inbound (web chat)': 'Messaging (Web)',
  'screen-share session': 'Screen Share Session',
  'cobrowse session': 'Screen Share Session',
};

/** Case, runs of white space and space inside parentheses do not tell session types apart. */
function comparable(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').toLowerCase();
}

const byComparable = new Map<string, SessionType>([...SessionTypes.map((type) => [comparable(type), type] as const), ...Object.entries(aliases)]);

/** The canonical session type of `text`, whatever its letter case and spacing; undefined when unknown. */
export function canonicalSessionType(text: string): SessionType | undefined {
  return byComparable.get(comparable(text));
}

/** A session type as senders write it (EB1.4: the source's samples differ in case), parsed to its canonical form. */
export const sessionTypeSchema = z
  .string()
  .max(100)
  .transform((text, ctx) => {
    const type = canonicalSessionType(text);
    if (type) return type;
    ctx.addIssue({ code: 'custom', message: `must be a session type such as "Voice Inbound" or "Messaging (Web)" (one of: ${SessionTypes.join(', ')})` });
    return z.NEVER;
  });

const voiceTypes = new Set<SessionType>(SessionTypes.filter((type) => type.startsWith('Voice')));
const chatTypes = new Set<SessionType>(['Messaging (Web)', 'Messaging (Mobile)']);

/** voice for voice types, chat for in-app messaging, messaging for SMS / WhatsApp, screen_share for screen sharing. */
export function channelOfSessionType(type: SessionType): SessionChannel {
  if (voiceTypes.has(type)) return 'voice';
  if (chatTypes.has(type)) return 'chat';
  if (type === 'Screen Share Session') return 'screen_share';
  return 'messaging';
}
