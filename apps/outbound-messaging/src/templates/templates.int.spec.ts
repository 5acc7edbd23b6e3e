import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { created, send, SMS_TEMPLATE, SUPERVISOR, TENANT_B, WHATSAPP_TEMPLATE } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';

const PATH = '/outbound/templates';

describe('message templates API (OM1)', () => {
  let app: MessagingTestApp;

  beforeAll(async () => {
    app = await startMessagingTestApp();
  }, 60_000);
  afterAll(() => app?.close());
  beforeEach(async () => {
    await app.prisma.outboundConfiguration.deleteMany({});
    await app.prisma.messageTemplate.deleteMany({});
  });

  it('OM1.1 creates, reads, lists, replaces and deletes a template; locales in canonical spelling', async () => {
    const id = await created(app, PATH, { ...SMS_TEMPLATE, defaultLocale: 'en_us', versions: { 'EN-us': SMS_TEMPLATE.versions['en-US'], fr: SMS_TEMPLATE.versions.fr } });
    const read = await send(app, 'GET', `${PATH}/${id}`);
    expect(read.body).toMatchObject({ id, name: 'Case created', channelType: 'sms', defaultLocale: 'en-US', versions: { 'en-US': SMS_TEMPLATE.versions['en-US'], fr: SMS_TEMPLATE.versions.fr } });
    expect((await send<{ items: unknown[] }>(app, 'GET', PATH)).body.items).toHaveLength(1);

    const replaced = await send(app, 'PUT', `${PATH}/${id.toUpperCase()}`, { ...SMS_TEMPLATE, name: 'Case opened' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, name: 'Case opened' });

    expect((await send(app, 'DELETE', `${PATH}/${id}`)).status).toBe(204);
    expect((await send(app, 'GET', `${PATH}/${id}`)).status).toBe(404);
  });

  it('OM1.1 a WhatsApp template keeps its approved template id and variables', async () => {
    const id = await created(app, PATH, WHATSAPP_TEMPLATE);
    expect((await send(app, 'GET', `${PATH}/${id}`)).body).toMatchObject({ channelType: 'whatsapp', versions: WHATSAPP_TEMPLATE.versions });
  });

  it('OM1.1 P1.1 another tenant neither sees nor changes the template (404); only administrators manage templates (403)', async () => {
    const id = await created(app, PATH, SMS_TEMPLATE);
    expect((await send(app, 'GET', `${PATH}/${id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'PUT', `${PATH}/${id}`, SMS_TEMPLATE, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'DELETE', `${PATH}/${id}`, undefined, { tenantId: TENANT_B })).status).toBe(404);
    expect((await send(app, 'POST', PATH, SMS_TEMPLATE, { roles: SUPERVISOR })).status).toBe(403);
    expect((await send<{ items: unknown[] }>(app, 'GET', PATH, undefined, { tenantId: TENANT_B })).body.items).toEqual([]);
  });

  it('OM1.1 a second template of the same name is 409 TemplateNameTaken', async () => {
    await created(app, PATH, SMS_TEMPLATE);
    const again = await send<{ error: { code: string } }>(app, 'POST', PATH, SMS_TEMPLATE);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TemplateNameTaken');
  });

  const errorOf = (body: unknown) => (body as { error: { code: string; details: { field: string; message: string }[] } }).error;
  it.each([
    ['template injection: {{constructor}}', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'Hi {{constructor}}' } } }, 'versions["en-US"].text', /reserved/],
    ['nested braces', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'Hi {{Customer{{Name}}}}' } } }, 'versions["en-US"].text', /nested/],
    ['an expression in a placeholder', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'Hi {{CustomerName.constructor.name}}' } } }, 'versions["en-US"].text', /not a placeholder name/],
    ['an unclosed placeholder', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'Hi {{CustomerName' } } }, 'versions["en-US"].text', /never closed/],
    ['a default locale without a version', { ...SMS_TEMPLATE, defaultLocale: 'de' }, 'defaultLocale', /must be one of/],
    ['a locale that is not one', { ...SMS_TEMPLATE, versions: { ...SMS_TEMPLATE.versions, 'not a locale': { text: 'x' } } }, 'versions["not a locale"]', /not a locale/],
    ['the same locale twice', { ...SMS_TEMPLATE, versions: { ...SMS_TEMPLATE.versions, en_us: { text: 'x' } } }, 'versions.en_us', /same locale/],
    ['no versions', { ...SMS_TEMPLATE, versions: {} }, 'versions', /at least one/],
    ['a text over 1,600 characters', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'a'.repeat(1_601) } } }, 'versions["en-US"].text', /./],
    ['an unknown channel type', { ...SMS_TEMPLATE, channelType: 'email' }, 'channelType', /./],
    ['WhatsApp without an approved template id', { ...WHATSAPP_TEMPLATE, versions: { en: { text: 'x', variables: {} } } }, 'versions.en.providerTemplateId', /required for WhatsApp/],
    ['an SMS with WhatsApp variables', { ...SMS_TEMPLATE, versions: { 'en-US': { text: 'x', variables: { '1': 'y' } } } }, 'versions["en-US"].variables', /only for WhatsApp/],
    ['a WhatsApp variable named by a word', { ...WHATSAPP_TEMPLATE, versions: { en: { ...WHATSAPP_TEMPLATE.versions.en, variables: { name: '{{CustomerName}}' } } } }, 'versions.en.variables.name', /numbers/],
    ['an unknown field', { ...SMS_TEMPLATE, language: 'en' }, 'language', /not a known field/],
  ])('OM1.1 %s → 400 naming the field, nothing stored', async (_case, body, field, message) => {
    const answer = await send(app, 'POST', PATH, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    const detail = errorOf(answer.body).details.find((d) => d.field === field);
    expect(detail?.message, JSON.stringify(answer.body)).toMatch(message);
    expect(await app.prisma.messageTemplate.count()).toBe(0);
  });

  describe('preview (OM1.2, OM1.3)', () => {
    it('OM1.2 renders the language-matched version with the SMS encoding and segment count', async () => {
      const id = await created(app, PATH, SMS_TEMPLATE);
      const preview = await send(app, 'POST', `${PATH}/${id}/preview`, { locale: 'fr-CA', CustomerName: 'Dana', CaseName: 'CAS-1', contextitems: { ticketUrl: 'https://t.example/1' } }, { roles: SUPERVISOR });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        locale: 'fr',
        body: 'Bonjour Dana, votre dossier CAS-1 a été créé (https://t.example/1).',
        sms: { encoding: 'GSM-7', characters: 67, units: 67, segments: 1 },
      });
    });

    it('OM1.2 falls back to the default locale; a long Unicode text takes several UCS-2 segments', async () => {
      const id = await created(app, PATH, { ...SMS_TEMPLATE, versions: { 'en-US': { text: '您好 {{CustomerName}},' + '案例'.repeat(40) } } });
      const preview = await send(app, 'POST', `${PATH}/${id}/preview`, { locale: 'ja', CustomerName: 'Dana', CaseName: 'x' });
      expect(preview.body).toMatchObject({ locale: 'en-US', sms: { encoding: 'UCS-2', units: 88, segments: 2 } });
    });

    it('OM1.3 a missing value is 422 MissingPlaceholderValue naming the slug', async () => {
      const id = await created(app, PATH, SMS_TEMPLATE);
      const preview = await send(app, 'POST', `${PATH}/${id}/preview`, { locale: 'fr', CustomerName: 'Dana', CaseName: 'CAS-1' });
      expect(preview.status).toBe(422);
      expect(errorOf(preview.body)).toMatchObject({ code: 'MissingPlaceholderValue', details: [{ field: 'contextitems.ticketUrl' }] });
    });
  });
});
