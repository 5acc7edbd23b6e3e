import { type DoNotCallOrigins, Topics, VoiceConsentEventTypes } from '@switchboard/contracts';
import type { OutboxEntry, OutboxPublisher } from '@switchboard/messaging';
import type { DoNotCallEntryInput } from './do-not-call-entry.schema';

type Origin = (typeof DoNotCallOrigins)[number];

/**
 * Builds the `voice.consent.v1` events of administrators' do-not-call changes (PD3.1), keyed by number so one
 * number's changes stay in order. Only administrators' changes: a listing a customer's SMS keyword made
 * (messaging.consent.v1) is never published back.
 */
export class VoiceConsentEvents {
  constructor(private readonly outbox: OutboxPublisher) {}

  listed(tenantId: string, entries: readonly DoNotCallEntryInput[], origin: Origin, at: Date): OutboxEntry[] {
    return entries.map((entry) =>
      this.entry(tenantId, entry.phoneNumber, VoiceConsentEventTypes.listed, { origin, reason: entry.reason, expiresAt: entry.expiresAt?.toISOString() ?? null, occurredAt: at.toISOString() }),
    );
  }

  unlisted(tenantId: string, phoneNumber: string, at: Date): OutboxEntry {
    return this.entry(tenantId, phoneNumber, VoiceConsentEventTypes.unlisted, { origin: 'api', occurredAt: at.toISOString() });
  }

  private entry(tenantId: string, phoneNumber: string, type: string, data: object): OutboxEntry {
    const event = this.outbox.event({ type, subject: phoneNumber, tenantId, data: { phoneNumber, ...data } });
    return { topic: Topics.voiceConsent, event, key: phoneNumber };
  }
}
