import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_PATH } from '../invoke/invoke.controller';
import type { InvokeResponse } from '../invoke/invoke.schema';
import { MessageSender } from '../sending/message-sender.service';
import { createConfiguration, send, SUPERVISOR, TENANT_B } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import type { MessageCounts, MessageDetail, MessageView, TimelineActivity } from './reporting.schema';

const contact = (to: string, override: Record<string, unknown> = {}) => ({ tocontactid: to, channelid: 'sms', option: true, entityrelationshipname: 'incident_msdyn_ocoutboundmessages', CustomerName: 'Dana', CaseName: 'CAS-9', ...override });

describe('reporting API (OM5.3)', () => {
  let app: MessagingTestApp;
  let bulk: string;
  let timeline: string;
  let start: string;

  beforeAll(async () => {
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000' });
    await app.app.get(MessageSender).stop();
    bulk = (await createConfiguration(app)).configurationId;
    timeline = (await createConfiguration(app, { showInTimeline: true })).configurationId;
    start = new Date(Date.now() - 1_000).toISOString();
    const invoke = (configurationId: string, contacts: object[]) => send<InvokeResponse>(app, 'POST', `/${INVOKE_PATH}`, { msdyn_ocoutboundconfigurationid: configurationId, ContactList: contacts }, { roles: SUPERVISOR });
    await invoke(bulk, [contact('+14155552671'), contact('+14155552672'), contact('+14155552673', { option: false })]);
    await invoke(timeline, [contact('+14155552671', { CaseName: 'CAS-10' }), contact('+14155552674')]);
  }, 60_000);
  afterAll(() => app?.close());

  it('OM5.3 counts per configuration, channel type and status over a time range', async () => {
    const counts = await send<MessageCounts>(app, 'GET', `/outbound/messages/counts?from=${start}`, undefined, { roles: SUPERVISOR });
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ total: 5, byStatus: { queued: 4, skipped: 1 } });
    expect(counts.body.groups).toEqual(
      expect.arrayContaining([
        { configurationId: bulk, channelType: 'sms', status: 'queued', count: 2 },
        { configurationId: bulk, channelType: 'sms', status: 'skipped', count: 1 },
        { configurationId: timeline, channelType: 'sms', status: 'queued', count: 2 },
      ]),
    );
    const future = await send<MessageCounts>(app, 'GET', `/outbound/messages/counts?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.total).toBe(0);
    expect((await send<MessageCounts>(app, 'GET', '/outbound/messages/counts', undefined, { tenantId: TENANT_B })).body.total).toBe(0);
  });

  it('OM5.3 OM3.3 lists messages by configuration and status, paged, each with its tracking', async () => {
    const skipped = await send<{ items: MessageView[] }>(app, 'GET', `/outbound/messages?configurationId=${bulk}&status=skipped`);
    expect(skipped.body.items).toEqual([expect.objectContaining({ to: '+14155552673', status: 'skipped', statusReason: expect.stringContaining('option is false'), configurationId: bulk })]);

    const first = await send<{ items: MessageView[]; nextCursor?: string }>(app, 'GET', `/outbound/messages?limit=3`);
    expect(first.body.items).toHaveLength(3);
    const second = await send<{ items: MessageView[]; nextCursor?: string }>(app, 'GET', `/outbound/messages?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeUndefined();
    const one = await send<MessageDetail>(app, 'GET', `/outbound/messages/${second.body.items[0]?.id}`);
    expect(one.body).toEqual({ ...second.body.items[0], replies: [] });
    expect((await send(app, 'GET', `/outbound/messages/${second.body.items[0]?.id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
  });

  it('OM2.2 OM5.3 the customer\'s timeline lists only messages of configurations that show in it, newest first', async () => {
    const activities = await send<{ items: TimelineActivity[] }>(app, 'GET', '/outbound/timeline?tocontactid=%2B14155552671');
    expect(activities.body.items).toEqual([
      expect.objectContaining({ configurationId: timeline, entityRelationshipName: 'incident_msdyn_ocoutboundmessages', caseName: 'CAS-10', body: 'Hi Dana, your case CAS-10 was created.', status: 'queued' }),
    ]);
  });

  it.each([
    ['an unknown status', '/outbound/messages?status=lost', 'status'],
    ['a time that is not an instant', '/outbound/messages/counts?from=yesterday', 'from'],
    ['a limit over 500', '/outbound/messages?limit=501', 'limit'],
    ['an unknown parameter', '/outbound/messages?tenantId=x', 'tenantId'],
    ['a number that is not one', '/outbound/timeline?tocontactid=12', 'tocontactid'],
  ])('OM5.3 %s → 400 naming the parameter', async (_case, path, field) => {
    const answer = await send<{ error: { details: { field: string }[] } }>(app, 'GET', path);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((d) => d.field)).toContain(field);
  });
});
