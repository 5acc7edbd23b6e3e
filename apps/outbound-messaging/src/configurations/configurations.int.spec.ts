import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfiguration, created, send, SIMULATOR_CHANNEL, SMS_TEMPLATE, SUPERVISOR, TENANT_B, WHATSAPP_TEMPLATE } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';

const PATH = '/outbound/configurations';
type Error = { error: { code: string; details: { field: string; message: string }[] } };

describe('outbound configurations API (OM2)', () => {
  let app: MessagingTestApp;

  beforeAll(async () => {
    app = await startMessagingTestApp();
  }, 60_000);
  afterAll(() => app?.close());

  it('OM2.1 the id is generated on save and shown as msdyn_ocoutboundconfigurationid; read, list, replace, delete', async () => {
    const { configurationId, channelId, templateId } = await createConfiguration(app, { name: 'Case created message', showInTimeline: true });
    const read = await send(app, 'GET', `${PATH}/${configurationId}`, undefined, { roles: SUPERVISOR });
    expect(read.body).toMatchObject({ id: configurationId, msdyn_ocoutboundconfigurationid: configurationId, name: 'Case created message', showInTimeline: true, channelType: 'sms', channelId, templateId });
    expect(configurationId).toMatch(/^[0-9a-f-]{36}$/);

    const replaced = await send(app, 'PUT', `${PATH}/${configurationId}`, { name: 'Bulk notice', showInTimeline: false, channelType: 'sms', channelId, templateId });
    expect(replaced.body).toMatchObject({ name: 'Bulk notice', showInTimeline: false });
    expect((await send<{ items: { id: string }[] }>(app, 'GET', PATH)).body.items.map((c) => c.id)).toContain(configurationId);

    expect((await send<Error>(app, 'DELETE', `/outbound/templates/${templateId}`)).body.error.code).toBe('TemplateInUse');
    expect((await send<Error>(app, 'DELETE', `/outbound/channels/${channelId}`)).body.error.code).toBe('ChannelInUse');
    expect((await send(app, 'DELETE', `${PATH}/${configurationId}`)).status).toBe(204);
    expect((await send(app, 'DELETE', `/outbound/templates/${templateId}`)).status).toBe(204);
  });

  it('OM2.1 P1.1 a configuration may not use another tenant\'s channel or template, nor a channel or template of the other channel type (422)', async () => {
    const theirs = await createConfiguration(app, { tenantId: TENANT_B });
    const smsTemplate = await created(app, '/outbound/templates', { ...SMS_TEMPLATE, name: 'mine' });
    const whatsappTemplate = await created(app, '/outbound/templates', { ...WHATSAPP_TEMPLATE, name: 'mine wa' });
    const channel = await created(app, '/outbound/channels', { ...SIMULATOR_CHANNEL, name: 'mine' });

    const foreign = await send<Error>(app, 'POST', PATH, { name: 'x', showInTimeline: false, channelType: 'sms', channelId: theirs.channelId, templateId: theirs.templateId });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error).toMatchObject({ code: 'ConfigurationPartsInvalid', details: [{ field: 'channelId', message: expect.stringContaining('no channel of this tenant') }, { field: 'templateId' }] });

    const mismatch = await send<Error>(app, 'POST', PATH, { name: 'x', showInTimeline: false, channelType: 'sms', channelId: channel, templateId: whatsappTemplate });
    expect(mismatch.body.error.details).toEqual([{ field: 'templateId', message: expect.stringContaining('whatsapp message template') }]);
    expect((await send(app, 'GET', `${PATH}/${theirs.configurationId}`)).status).toBe(404);
    expect((await send(app, 'POST', PATH, { name: 'x', showInTimeline: false, channelType: 'sms', channelId: channel, templateId: smsTemplate }, { roles: SUPERVISOR })).status).toBe(403);
  });

  it.each([
    ['a missing show-in-timeline flag', { showInTimeline: undefined }, 'showInTimeline'],
    ['a channel id that is no GUID', { channelId: 'support-line' }, 'channelId'],
    ['an unknown channel type', { channelType: 'voice' }, 'channelType'],
    ['an id given by the caller', { id: '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f' }, 'id'],
  ])('OM2.1 %s → 400 naming the field', async (_case, override, field) => {
    const body = { name: 'x', showInTimeline: true, channelType: 'sms', channelId: '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f', templateId: '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f', ...override };
    const answer = await send<Error>(app, 'POST', PATH, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((d) => d.field)).toEqual([field]);
  });
});
