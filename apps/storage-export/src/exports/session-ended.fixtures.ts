import { contactSessionExamples, type SessionEnded, sessionMetadataExample } from '@switchboard/contracts';

/** A SessionEnded `data` built from the contract's example voice session, with overrides. */
export function sessionEndedData(overrides: Partial<SessionEnded> & { channel?: 'voice' | 'chat' } = {}): SessionEnded {
  const { channel = 'voice', ...rest } = overrides;
  const sessionId = rest.sessionId ?? '103646';
  const metadata = { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, id: sessionId, channel, type: channel === 'voice' ? ('Voice Inbound' as const) : ('Messaging (Web)' as const) } };
  return {
    ...(contactSessionExamples.ended as unknown as Omit<SessionEnded, 'sessionId' | 'occurredAt' | 'version' | 'metadata'>),
    sessionId,
    occurredAt: contactSessionExamples.ended.times.endedAt,
    version: metadata.version,
    metadata,
    ...rest,
  };
}
