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
