import { Role } from '@switchboard/auth';
import { type ExpectedRefusal, itRefusesEveryRow } from '@switchboard/platform/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfiguration, SMS_TEMPLATE, TENANT_A, TENANT_B, TWILIO_CHANNEL } from '../test-support/fixtures';
import { type MessagingTestApp, startMessagingTestApp } from '../test-support/test-app';
import { INVOKE_PATH } from './invoke.controller';

interface Fixtures {
  configurationId: string;
  timelineConfigurationId: string;
  foreignConfigurationId: string;
  templateId: string;
}

interface Row extends ExpectedRefusal {
  path?: string;
  method?: string;
  body: (f: Fixtures) => unknown;
  tenantId?: string;
  roles?: Role[];
  rawBody?: string;
  contentType?: string;
}

const CONTACT = { tocontactid: '+14155552671', channelid: 'sms', option: true, CustomerName: 'Dana', CaseName: 'CAS-1' };
const invoke = (f: Fixtures, contacts: unknown[], configurationId = f.configurationId) => ({ msdyn_ocoutboundconfigurationid: configurationId, ContactList: contacts });
const oneContact = (override: Record<string, unknown>) => (f: Fixtures) => invoke(f, [{ ...CONTACT, ...override }]);
const contactRefused = (name: string, override: Record<string, unknown>, field: string, message?: RegExp): Row => ({
  name,
  body: oneContact(override),
  status: 400,
  code: 'NoContactAccepted',
  fields: [`ContactList[0].${field}`],
  ...(message && { message }),
});

const ROWS: Row[] = [
  { name: 'OM3.2 101 contacts', body: (f) => invoke(f, Array.from({ length: 101 }, () => CONTACT)), status: 400, code: 'BadRequest', fields: ['ContactList'], message: /batches of 100/ },
  { name: 'OM3.2 1,000 contacts', body: (f) => invoke(f, Array.from({ length: 1_000 }, () => ({ tocontactid: '+14155552671' }))), status: 400, code: 'BadRequest', fields: ['ContactList'], message: /batches of 100/ },
  { name: 'OM3.1 an empty ContactList', body: (f) => invoke(f, []), status: 400, code: 'BadRequest', fields: ['ContactList'] },
  { name: 'OM3.1 ContactList as an object', body: (f) => ({ msdyn_ocoutboundconfigurationid: f.configurationId, ContactList: CONTACT }), status: 400, code: 'BadRequest', fields: ['ContactList'] },
  { name: 'OM3.1 no configuration id', body: () => ({ ContactList: [CONTACT] }), status: 400, code: 'BadRequest', fields: ['msdyn_ocoutboundconfigurationid'] },
  { name: 'OM3.1 a configuration id that is no GUID', body: () => ({ msdyn_ocoutboundconfigurationid: 'case-created', ContactList: [CONTACT] }), status: 400, code: 'BadRequest', fields: ['msdyn_ocoutboundconfigurationid'] },
  { name: 'OM3.1 an unknown top-level field', body: (f) => ({ ...invoke(f, [CONTACT]), ContactLists: [] }), status: 400, code: 'BadRequest', fields: ['ContactLists'] },
  { name: 'OM3.1 P1.1 another tenant\'s configuration', body: (f) => invoke(f, [CONTACT], f.foreignConfigurationId), status: 404, code: 'ConfigurationNotFound' },
  { name: 'OM3.1 a configuration that does not exist', body: (f) => invoke(f, [CONTACT], '00000000-0000-4000-8000-000000000000'), status: 404, code: 'ConfigurationNotFound' },
  contactRefused('OM3.1 wrong channelid (whatsapp for an sms configuration)', { channelid: 'whatsapp' }, 'channelid', /channelid is whatsapp but configuration/),
  contactRefused('OM3.1 channelid that is no channel', { channelid: 'email' }, 'channelid'),
  contactRefused('OM3.1 channelid missing', { channelid: undefined }, 'channelid'),
  contactRefused('OM3.1 tocontactid missing', { tocontactid: undefined }, 'tocontactid'),
  contactRefused('OM3.1 tocontactid without a country code', { tocontactid: '4155552671' }, 'tocontactid', /international format/),
  contactRefused('OM3.1 tocontactid not valid in its country plan', { tocontactid: '+123456798' }, 'tocontactid', /not a valid number/),
  contactRefused('OM3.1 tocontactid as a number', { tocontactid: 14155552671 }, 'tocontactid'),
  contactRefused('OM3.1 tocontactid of 10,000 characters', { tocontactid: '+1'.padEnd(10_000, '5') }, 'tocontactid'),
  contactRefused('OM3.1 option missing', { option: undefined }, 'option'),
  contactRefused('OM3.1 option as "yes"', { option: 'yes' }, 'option'),
  contactRefused('OM3.1 CustomerName missing', { CustomerName: undefined }, 'CustomerName'),
  contactRefused('OM3.1 CaseName blank', { CaseName: '   ' }, 'CaseName'),
  contactRefused('OM3.1 CustomerName over 200 characters', { CustomerName: 'D'.repeat(201) }, 'CustomerName'),
  contactRefused('OM3.1 a per-contact configuration id that differs', { msdyn_ocoutboundconfigurationid: '00000000-0000-4000-8000-000000000001' }, 'msdyn_ocoutboundconfigurationid'),
  contactRefused('OM3.1 an unknown contact field (a typo)', { customername: 'Dana' }, 'customername', /did you mean "CustomerName"/),
  contactRefused('OM3.1 contextitems as a list', { contextitems: ['a'] }, 'contextitems'),
  contactRefused('OM3.1 a huge context item (over 1,000 characters)', { contextitems: { note: 'x'.repeat(1_001) } }, 'contextitems.note'),
  contactRefused('OM3.1 more than 50 context items', { contextitems: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'contextitems'),
  contactRefused('OM3.1 a context item key that is no placeholder name', { contextitems: { 'ticket url': 'x' } }, 'contextitems["ticket url"]'),
  contactRefused('OM1.3 template injection: a context item named toString', { contextitems: { toString: 'x' } }, 'contextitems.toString'),
  contactRefused('OM3.1 a context item as an object', { contextitems: { ticketUrl: { href: 'x' } } }, 'contextitems.ticketUrl'),
  contactRefused('OM3.1 a context item contradicting CustomerName', { contextitems: { customername: 'Eve' } }, 'contextitems.customername', /differs from CustomerName/),
  contactRefused('OM1.3 a slug without a value (fr version needs ticketUrl)', { locale: 'fr' }, 'contextitems', /\{\{ticketUrl\}\}/),
  contactRefused('OM3.1 locale over 35 characters', { locale: 'fr-'.padEnd(40, 'x') }, 'locale'),
  {
    name: 'OM2.2 OM3.1 entityrelationshipname missing for a timeline configuration',
    body: (f) => invoke(f, [CONTACT], f.timelineConfigurationId),
    status: 400,
    code: 'NoContactAccepted',
    fields: ['ContactList[0].entityrelationshipname'],
  },
  { name: 'OM3.1 a contact that is not an object', body: (f) => invoke(f, ['+14155552671']), status: 400, code: 'NoContactAccepted', fields: ['ContactList[0]'] },
  { name: 'OM3.1 a null contact', body: (f) => invoke(f, [null]), status: 400, code: 'NoContactAccepted', fields: ['ContactList[0]'] },
  { name: 'P2.1 a __proto__ key in a contact', body: () => undefined, rawBody: '{"msdyn_ocoutboundconfigurationid":"00000000-0000-4000-8000-000000000000","ContactList":[{"__proto__":{"option":true}}]}', status: 400, code: 'BadRequest' },
  { name: 'P2.1 a constructor key in contextitems', body: () => undefined, rawBody: '{"msdyn_ocoutboundconfigurationid":"00000000-0000-4000-8000-000000000000","ContactList":[{"contextitems":{"constructor":"x"}}]}', status: 400, code: 'BadRequest' },
  { name: 'P2.1 malformed JSON', body: () => undefined, rawBody: '{"ContactList": [', status: 400, code: 'BadRequest' },
  { name: 'P2.1 a form body', body: () => undefined, rawBody: 'tocontactid=%2B14155552671', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'UnsupportedMediaType' },
  { name: 'P1.3 an agent may not invoke', body: (f) => invoke(f, [CONTACT]), roles: [Role.OmnichannelAgent], status: 403, code: 'Forbidden' },
  {
    name: 'OM1.1 template injection on save: {{constructor}}',
    path: '/outbound/templates',
    roles: [Role.Administrator],
    body: () => ({ ...SMS_TEMPLATE, name: 'injected', versions: { 'en-US': { text: 'Hi {{constructor}}' } } }),
    status: 400,
    code: 'BadRequest',
    fields: ['versions["en-US"].text'],
  },
  {
    name: 'OM1.1 nested braces on save',
    path: '/outbound/templates',
    roles: [Role.Administrator],
    body: () => ({ ...SMS_TEMPLATE, name: 'nested', versions: { 'en-US': { text: '{{a{{b}}}}' } } }),
    status: 400,
    code: 'BadRequest',
    fields: ['versions["en-US"].text'],
  },
  {
    name: 'OM2.1 P1.1 a configuration with another tenant\'s template',
    path: '/outbound/configurations',
    roles: [Role.Administrator],
    tenantId: TENANT_B,
    body: (f) => ({ name: 'theirs', showInTimeline: false, channelType: 'sms', channelId: '00000000-0000-4000-8000-000000000000', templateId: f.templateId }),
    status: 422,
    code: 'ConfigurationPartsInvalid',
    fields: ['channelId', 'templateId'],
  },
  {
    name: 'P2.5 a channel whose Twilio base URL is cloud metadata',
    path: '/outbound/channels',
    roles: [Role.Administrator],
    body: () => ({ ...TWILIO_CHANNEL, name: 'metadata', account: { ...TWILIO_CHANNEL.account, apiBaseUrl: 'http://169.254.169.254/' } }),
    status: 422,
    code: 'UrlNotAllowed',
    fields: ['account.apiBaseUrl'],
  },
];

describe('invoke and administration APIs refuse hostile input (OM3, P2.1): a specific 4xx, nothing stored or sent', () => {
  let app: MessagingTestApp;
  let fixtures: Fixtures;

  beforeAll(async () => {
    app = await startMessagingTestApp({ SEND_POLL_MS: '60000' });
    const own = await createConfiguration(app);
    const timeline = await createConfiguration(app, { showInTimeline: true });
    const foreign = await createConfiguration(app, { tenantId: TENANT_B });
    fixtures = { configurationId: own.configurationId, timelineConfigurationId: timeline.configurationId, foreignConfigurationId: foreign.configurationId, templateId: own.templateId };
  }, 60_000);
  afterAll(() => app?.close());

  const send = (row: Row) =>
    app.call(row.path ?? `/${INVOKE_PATH}`, {
      method: row.method ?? 'POST',
      tenantId: row.tenantId ?? TENANT_A,
      roles: row.roles ?? [Role.OmnichannelSupervisor],
      body: row.rawBody ?? JSON.stringify(row.body(fixtures)),
      headers: { 'content-type': row.contentType ?? 'application/json' },
    });
  const stored = async () => ({
    messages: await app.prisma.outboundMessage.count(),
    outbox: (await app.outbox()).length,
    templates: await app.prisma.messageTemplate.count(),
    channels: await app.prisma.outboundChannel.count(),
    configurations: await app.prisma.outboundConfiguration.count(),
  });

  itRefusesEveryRow(ROWS, send, stored);

  // Last, because it stores messages: proves each row fails only for what it breaks.
  it('OM3.1 the unbroken request every row starts from is accepted', async () => {
    const response = await send({ name: 'valid', body: (f) => invoke(f, [CONTACT]), status: 200, code: '' });
    expect(response.status, await response.clone().text()).toBe(200);
  });
});
