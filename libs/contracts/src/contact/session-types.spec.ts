import { describe, expect, it } from 'vitest';
import { canonicalSessionType, SessionTypes } from '../agent/session-types';
import { channelOfSessionType, sessionTypeSchema } from './session-types';

describe('session types (EB1.4)', () => {
  it('EB1.4 lists the seventeen session types of the source', () => {
    expect(SessionTypes).toHaveLength(17);
  });

  it.each([
    ['voice inbound', 'Voice Inbound'],
    ['VOICE INBOUND (IVR USING MOBILE)', 'Voice Inbound (IVR using Mobile)'],
    ['  Messaging   Inbound (SMS) ', 'Messaging Inbound (SMS)'],
    ['Voice Campaign (UJET)', 'Voice Campaign'],
    ['messaging inbound (web chat)', 'Messaging (Web)'],
    ['screen-share session', 'Screen Share Session'],
    ['Messaging ( Web )', 'Messaging (Web)'],
  ])('EB1.4 parses %j case-insensitively as %j', (text, canonical) => {
    expect(sessionTypeSchema.parse(text)).toBe(canonical);
  });

  it('EB1.4 refuses an unknown session type, listing the known ones', () => {
    const result = sessionTypeSchema.safeParse('Voice Teleport');
    expect(result.error?.issues[0]?.message).toMatch(/^must be a session type such as "Voice Inbound".*Messaging \(Mobile\)/);
    expect(canonicalSessionType('Voice Teleport')).toBeUndefined();
  });

  it.each([
    ['Voice Callback (Web)', 'voice'],
    ['Messaging (Web)', 'chat'],
    ['Messaging (WhatsApp)', 'messaging'],
    ['Messaging Outbound (SMS via API)', 'messaging'],
    ['Screen Share Session', 'screen_share'],
  ] as const)('a %s session runs on %s', (type, channel) => {
    expect(channelOfSessionType(type)).toBe(channel);
  });
});
