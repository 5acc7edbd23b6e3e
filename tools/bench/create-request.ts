import { randomUUID } from 'node:crypto';
import { configurationExample } from '../../apps/proactive-delivery/src/configurations/configuration.example';
import { REQUEST_ID_MARKER } from './load-protocol';

export const CREATE_DELIVERY_PATH = '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery';
export const CREATE_DELIVERY_RESPONSE_TYPE = 'Microsoft.Dynamics.CRM.CCaaS_CreateProactiveVoiceDeliveryResponse';

/** New York: its callee hours (08:00–21:00 local) always overlap a full UTC day. */
export const BENCH_PHONE_NUMBER = '+12125550123';

const HOUR_MS = 3_600_000;

/**
 * A configuration that allows calls at any hour on every day (UTC), so that only the callee's local hours
 * decide the permitted time, and the built-in simulator as provider.
 */
export function benchConfiguration(): Record<string, unknown> {
  const wholeDay = [{ start: '00:00', end: '24:00' }];
  const contactHours = { mon: wholeDay, tue: wholeDay, wed: wholeDay, thu: wholeDay, fri: wholeDay, sat: wholeDay, sun: wholeDay };
  return { ...configurationExample, name: 'bench', workflowId: 'bench-bot', timeZone: 'UTC', contactHours, blackoutDates: [] };
}

/**
 * The body every load request sends. The window opens tomorrow, so the dispatcher finds nothing due during
 * the run and does not compete with the create API. `InputAttributes.benchRequestId` differs per request
 * (the load generator's id replacement), so no request is an idempotent repeat of another: every one inserts a row.
 */
export function createDeliveryBodyTemplate(configurationId: string, now = new Date()): string {
  const start = new Date(now.getTime() + 24 * HOUR_MS);
  const end = new Date(start.getTime() + 24 * HOUR_MS);
  return JSON.stringify({
    ApiVersion: '1.0',
    ProactiveEngagementConfigId: configurationId,
    DestinationPhoneNumber: BENCH_PHONE_NUMBER,
    ContactId: randomUUID(),
    Windows: [{ Start: start.toISOString(), End: end.toISOString() }],
    InputAttributes: { orderNumber: 'ORD123456789', type: 'callback', benchRequestId: REQUEST_ID_MARKER },
  });
}
