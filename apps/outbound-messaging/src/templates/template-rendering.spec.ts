import { describe, expect, it } from 'vitest';
import { compileTemplate, placeholderValues, renderTemplate } from './template-rendering';

const sms = compileTemplate({
  channelType: 'sms',
  defaultLocale: 'en-US',
  versions: { 'en-US': { text: 'Hi {{CustomerName}}, case {{CaseName}} was created.' }, fr: { text: 'Bonjour {{CustomerName}}, dossier {{CaseName}} créé le {{date}}.' } },
});
const whatsapp = compileTemplate({
  channelType: 'whatsapp',
  defaultLocale: 'en',
  versions: { en: { text: 'Hi {{CustomerName}}, your order {{orderId}} ships.', providerTemplateId: 'HXb5b62575e6e4ff6129ad7c8efe1f983e', variables: { '1': '{{CustomerName}}', '2': 'No. {{orderId}}' } } },
});
const dana = (contextitems: Record<string, string> = {}) => placeholderValues({ CustomerName: 'Dana', CaseName: 'CAS-1', contextitems });

describe('template rendering (OM1)', () => {
  it('OM1.1 OM1.2 renders the default version with the SMS segment count', () => {
    expect(renderTemplate(sms, 'de', dana())).toEqual({
      ok: true,
      locale: 'en-US',
      body: 'Hi Dana, case CAS-1 was created.',
      sms: { encoding: 'GSM-7', characters: 32, units: 32, segments: 1 },
    });
  });

  it('OM1.2 renders the language-matched version, filling context items', () => {
    expect(renderTemplate(sms, 'fr-CA', dana({ date: '3 mars' }))).toMatchObject({ ok: true, locale: 'fr', body: 'Bonjour Dana, dossier CAS-1 créé le 3 mars.' });
  });

  it('OM1.3 a missing context item fails the contact, naming the slug of the chosen version', () => {
    expect(renderTemplate(sms, 'fr', dana())).toEqual({ ok: false, locale: 'fr', missing: ['date'] });
  });

  it('OM1.1 WhatsApp maps to the approved template id and its variables', () => {
    expect(renderTemplate(whatsapp, undefined, dana({ orderId: 'A-17' }))).toEqual({
      ok: true,
      locale: 'en',
      body: 'Hi Dana, your order A-17 ships.',
      whatsappTemplate: { id: 'HXb5b62575e6e4ff6129ad7c8efe1f983e', variables: { '1': 'Dana', '2': 'No. A-17' } },
    });
  });

  it('OM1.3 WhatsApp: a variable without a value fails too', () => {
    expect(renderTemplate(whatsapp, 'en', dana())).toEqual({ ok: false, locale: 'en', missing: ['orderId'] });
  });

  it('CustomerName and CaseName win over context items of the same name', () => {
    expect(renderTemplate(sms, 'en-US', placeholderValues({ CustomerName: 'Dana', CaseName: 'CAS-1', contextitems: { customername: 'Eve' } }))).toMatchObject({ body: 'Hi Dana, case CAS-1 was created.' });
  });
});
