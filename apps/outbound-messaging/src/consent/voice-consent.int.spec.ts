import { Topics, VoiceConsentEventTypes } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { eventually, type TwilioSimulator } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { TWILIO_INBOUND_PATH } from '../replies/twilio-inbound.controller';
import { contact, createConfiguration, send, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import type { MessagingTestApp } from '../test-support/test-app';
import { startAppWithTwilio } from '../test-support/twilio-app';

const SENDER = '+14155550190';
type Change = { type: 'listed' | 'unlisted'; phoneNumber: string; at: string; reason?: string | null; expiresAt?: string | null; tenantId?: string };

/** One consent across channels: proactive-delivery's voice.consent.v1 events, through the outbox relay and Kafka, suppress messages here. */
describe('a voice do-not-call entry suppresses messages (voice.consent.v1 → OM5.2 suppression)', () => {
  let twilio: TwilioSimulator;
  let app: MessagingTestApp;
  let configurationId: string;
  let channelId: string;

  beforeAll(async () => {
    ({ twilio, app } = await startAppWithTwilio());
    ({ configurationId, channelId } = await createConfiguration(app, { channel: { sender: SENDER, messagesPerSecond: 100 } }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await twilio?.close();
  });

  /** Publishes do-not-call changes the way proactive-delivery does (keyed by number), in order, in one transaction; waits until consumed. */
  async function publish(changes: Change[], ids?: string[]): Promise<string[]> {
    const publisher = app.app.get(OutboxPublisher);
    const entries = changes.map(({ type, phoneNumber, at, reason = null, expiresAt = null, tenantId = TENANT_A }, index) => {
      const data = type === 'listed' ? { phoneNumber, origin: 'api' as const, reason, expiresAt, occurredAt: at } : { phoneNumber, origin: 'api' as const, occurredAt: at };
      const event = publisher.event({ type: VoiceConsentEventTypes[type], subject: phoneNumber, tenantId, data });
      return { topic: Topics.voiceConsent, key: phoneNumber, event: { ...event, ...(ids?.[index] && { id: ids[index] }) } };
    });
    await app.prisma.transaction((tx) => publisher.enqueue(tx, entries));
    const eventIds = entries.map((entry) => entry.event.id);
    await eventually(async () => {
      const rows = await app.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbound_messaging.inbox_event WHERE event_id = ANY($1::text[])`, eventIds);
      return rows[0]?.n === eventIds.length ? true : undefined;
    }, `${eventIds.length} voice consent events in the inbox`);
    return eventIds;
  }
  const invoke = async (to: string, tenantId = TENANT_A) =>
    (await send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: [contact({ tocontactid: to })] }, { roles: SUPERVISOR, tenantId })).body.ContactList[0];
  const now = () => new Date().toISOString();

  it('OM5.2 a listed number is skipped with the reason (and what was queued for it is skipped too); removing the entry lifts it; another tenant is not affected', async () => {
    const customer = '+14155552941';
    const queued = (await invoke(customer))?.messageId as string;
    await publish([{ type: 'listed', phoneNumber: customer, at: now(), reason: 'Asked on a call' }]);

    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: queued } })).toMatchObject({ status: 'skipped', statusReason: expect.stringContaining("voice do-not-call list (Asked on a call)") });
    expect((await app.outbox({ key: queued })).map((row) => row.envelope.type)).toEqual(['switchboard.messaging.MessageQueued', 'switchboard.messaging.MessageSkipped']);
    expect(await invoke(customer)).toMatchObject({ status: 'skipped', reason: `${customer} is on the tenant's voice do-not-call list (Asked on a call); no messages are sent to it while it is listed` });

    await publish([{ type: 'unlisted', phoneNumber: customer, at: now() }]);
    expect(await invoke(customer)).toMatchObject({ status: 'accepted' });
  }, 60_000);

  it("OM5.2 removing the voice entry does not lift the customer's own SMS STOP; a queued HELP answer is never skipped", async () => {
    const customer = '+14155552942';
    const inbound = (body: string) => twilio.injectInbound({ from: customer, to: SENDER, body, url: `${app.url}/${TWILIO_INBOUND_PATH}/${channelId}` });
    // A HELP answer still waiting to be sent is skipped by neither the listing nor the STOP: carriers require it.
    const help = JSON.parse((await inbound('HELP')).responseBody as string) as { helpAnswerId: string };
    await publish([{ type: 'listed', phoneNumber: customer, at: now() }]);
    expect((await inbound('STOP')).status).toBe(200);
    expect(await app.prisma.outboundMessage.findUniqueOrThrow({ where: { id: help.helpAnswerId } })).toMatchObject({ status: 'queued' });
    await publish([{ type: 'unlisted', phoneNumber: customer, at: now() }]);
    expect(await invoke(customer)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('opted out (replied STOP)') });
  }, 60_000);

  it('OM5.2 an expiring entry stops suppressing when it expires; an older change replayed after a newer one changes nothing; a redelivered event is applied once', async () => {
    const expiring = '+14155552943';
    await publish([{ type: 'listed', phoneNumber: expiring, at: now(), expiresAt: new Date(Date.now() + 1_500).toISOString() }]);
    expect(await invoke(expiring)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('until ') });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await invoke(expiring)).toMatchObject({ status: 'accepted' });

    const replayed = '+14155552944';
    await publish([
      { type: 'listed', phoneNumber: replayed, at: '2026-12-03T10:00:00.000Z', reason: 'newer' },
      { type: 'unlisted', phoneNumber: replayed, at: '2026-12-03T09:00:00.000Z' },
      { type: 'listed', phoneNumber: replayed, at: '2026-12-03T08:00:00.000Z', reason: 'older' },
    ]);
    expect(await app.prisma.voiceDoNotCall.findUnique({ where: { tenantId_phoneNumber: { tenantId: TENANT_A, phoneNumber: replayed } } })).toMatchObject({ reason: 'newer' });

    const redelivered = '+14155552945';
    const [id] = await publish([{ type: 'listed', phoneNumber: redelivered, at: '2026-12-03T10:00:00.000Z', reason: 'first' }]);
    await publish([{ type: 'unlisted', phoneNumber: redelivered, at: '2026-12-03T11:00:00.000Z' }]);
    await publish([{ type: 'listed', phoneNumber: redelivered, at: '2026-12-03T10:00:00.000Z', reason: 'first' }], [id as string]);
    // A later event of the same number (same partition, in order) is consumed after the redelivered one.
    await publish([{ type: 'unlisted', phoneNumber: redelivered, at: '2026-12-03T09:00:00.000Z' }]);
    expect(await app.prisma.voiceDoNotCall.count({ where: { phoneNumber: redelivered } })).toBe(0);

    await publish([{ type: 'listed', phoneNumber: '+14155552946', at: now(), tenantId: TENANT_B }]);
    expect(await invoke('+14155552946')).toMatchObject({ status: 'accepted' });
  }, 60_000);
});
