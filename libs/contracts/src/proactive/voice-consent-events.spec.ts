import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { VoiceConsentEventTypes } from './voice-consent-events';

const event = (type: string, data: object) =>
  JSON.parse(JSON.stringify(createCloudEvent({ type, source: '/switchboard/proactive-delivery', subject: '+14155552671', tenantId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', data })));
const at = '2026-12-03T10:00:00.000Z';

describe('voice.consent.v1 (PD3.1 do-not-call changes, one consent across channels)', () => {
  it('PD3.1 a listing carries the number, reason and expiry; a removal the number', () => {
    const listed = { phoneNumber: '+14155552671', origin: 'api', reason: 'Asked on a call', expiresAt: null, occurredAt: at };
    expect(eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.listed, listed)).data).toEqual(listed);
    expect(eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.listed, { ...listed, origin: 'import', reason: null, expiresAt: '2027-01-31T23:59:59.000Z' })).type).toBe(VoiceConsentEventTypes.listed);
    expect(eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.unlisted, { phoneNumber: '+14155552671', origin: 'api', occurredAt: at })).type).toBe(VoiceConsentEventTypes.unlisted);
  });

  it('PD3.1 a number that is not E.164, an unknown origin or a missing expiry is refused', () => {
    const listed = { phoneNumber: '+14155552671', origin: 'api', reason: null, expiresAt: null, occurredAt: at };
    expect(() => eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.listed, { ...listed, phoneNumber: '4155552671' }))).toThrow();
    expect(() => eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.listed, { ...listed, origin: 'messaging-consent' }))).toThrow();
    const { expiresAt: _left, ...withoutExpiry } = listed;
    expect(() => eventCatalog.parse(Topics.voiceConsent, event(VoiceConsentEventTypes.listed, withoutExpiry))).toThrow();
  });
});
