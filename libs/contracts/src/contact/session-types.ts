import { z } from 'zod';
import { canonicalSessionType, type SessionType, SessionTypes } from '../agent/session-types';

/** Channels a session runs on; a session type implies one (channelOfSessionType). */
export const SessionChannels = ['voice', 'chat', 'messaging', 'screen_share', 'video', 'email'] as const;

export type SessionChannel = (typeof SessionChannels)[number];

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
