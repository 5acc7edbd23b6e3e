import { Role } from '@switchboard/auth';
import { expect } from 'vitest';
import type { MessagingTestApp } from './test-app';

export const TENANT_A = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const TENANT_B = '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
export const ADMIN = [Role.Administrator];
export const SUPERVISOR = [Role.OmnichannelSupervisor];

export const SMS_TEMPLATE = {
  name: 'Case created',
  channelType: 'sms',
  defaultLocale: 'en-US',
  versions: {
    'en-US': { text: 'Hi {{CustomerName}}, your case {{CaseName}} was created.' },
    fr: { text: 'Bonjour {{CustomerName}}, votre dossier {{CaseName}} a été créé ({{ticketUrl}}).' },
  },
};

export const WHATSAPP_TEMPLATE = {
  name: 'Order shipped',
  channelType: 'whatsapp',
  defaultLocale: 'en',
  versions: { en: { text: 'Hi {{CustomerName}}, order {{orderId}} shipped.', providerTemplateId: 'HXb5b62575e6e4ff6129ad7c8efe1f983e', variables: { '1': '{{CustomerName}}', '2': '{{orderId}}' } } },
};

/** An authenticated JSON request to the app, answering the parsed body along with the status. */
export async function send<T = Record<string, unknown>>(app: MessagingTestApp, method: string, path: string, body?: unknown, options: { tenantId?: string; roles?: Role[] } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await app.call(path, { method, tenantId: options.tenantId ?? TENANT_A, roles: options.roles ?? ADMIN, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** Creates a resource and answers its id, failing the test with the answer when it is refused. */
export async function created(app: MessagingTestApp, path: string, body: unknown, tenantId = TENANT_A): Promise<string> {
  const answer = await send<{ id: string }>(app, 'POST', path, body, { tenantId });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

export const TWILIO_CHANNEL = {
  name: 'Support line',
  channelType: 'sms',
  provider: 'twilio',
  sender: '+14155552671',
  account: { accountSid: 'AC0123456789abcdef0123456789abcdef' },
  credentials: { authToken: 'twilio-auth-token-that-must-never-come-back' },
};

export const SIMULATOR_CHANNEL = { name: 'Simulated short code', channelType: 'sms', provider: 'simulator', sender: '72345' };

/** A template, a channel and a configuration joining them; answers the configuration's id. */
export async function createConfiguration(
  app: MessagingTestApp,
  options: { tenantId?: string; showInTimeline?: boolean; template?: object; channel?: object; name?: string } = {},
): Promise<{ configurationId: string; channelId: string; templateId: string }> {
  const tenantId = options.tenantId ?? TENANT_A;
  const suffix = Math.random().toString(36).slice(2, 8);
  const template = { ...SMS_TEMPLATE, ...options.template, name: `template ${suffix}` };
  const channel = { ...SIMULATOR_CHANNEL, ...options.channel, name: `channel ${suffix}` };
  const templateId = await created(app, '/outbound/templates', template, tenantId);
  const channelId = await created(app, '/outbound/channels', channel, tenantId);
  const configurationId = await created(
    app,
    '/outbound/configurations',
    { name: options.name ?? `configuration ${suffix}`, showInTimeline: options.showInTimeline ?? false, channelType: template.channelType, channelId, templateId },
    tenantId,
  );
  return { configurationId, channelId, templateId };
}

/** A contact entry as a flow builds it (the source's field names). */
export const contact = (override: Record<string, unknown> = {}) => ({
  tocontactid: '+14155552671',
  channelid: 'sms',
  option: true,
  locale: 'en-US',
  entityrelationshipname: 'incident_msdyn_ocoutboundmessages',
  CustomerName: 'Dana Levi',
  CaseName: 'CAS-01042',
  ...override,
});
