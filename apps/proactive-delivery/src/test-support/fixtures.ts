import { Role } from '@switchboard/auth';
import { WEEKDAYS } from '@switchboard/contact-time';
import { configurationExample } from '../configurations/configuration.example';
import type { ProactiveTestApp } from './test-app';

export const TENANT_A = '5f1d7a8e-0c2b-4e59-9d3a-6b7c8d9e0f1a';
export const TENANT_B = '7a2e8b9f-1d3c-4f6a-8e4b-7c8d9e0f1a2b';
export const ADMIN = [Role.Administrator];
export const SUPERVISOR = [Role.OmnichannelSupervisor];
export const CREATE_PATH = '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery';

/** A configuration that permits calls around the clock (the callee's 08:00–21:00 still applies). */
export function allDayConfiguration(overrides: Record<string, unknown> = {}) {
  const allDay = [{ start: '00:00', end: '24:00' }];
  return {
    ...structuredClone(configurationExample),
    name: 'Callbacks',
    retryIntervalsSeconds: { busy: 60, no_answer: 120, voicemail: 300, failed: 60 },
    timeZone: 'UTC',
    contactHours: Object.fromEntries(WEEKDAYS.map((day) => [day, allDay])),
    blackoutDates: [],
    ...overrides,
  };
}

/** The API's example configuration (weekdays 09:00–17:00 in New York) without blackout dates, its number written as people write it. */
export function nineToFiveConfiguration() {
  const { blackoutDates: _none, ...example } = structuredClone(configurationExample);
  return { ...example, outboundProfile: { ...example.outboundProfile, callerIdNumber: '+1 212 555 0100' } };
}

export async function createConfiguration(app: ProactiveTestApp, tenantId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await app.call('/proactive/configurations', { method: 'POST', tenantId, roles: ADMIN, body: JSON.stringify(allDayConfiguration(overrides)) });
  if (response.status !== 201) throw new Error(`configuration not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export async function putSettings(app: ProactiveTestApp, tenantId: string, settings: Record<string, unknown>): Promise<void> {
  const response = await app.call('/proactive/settings', { method: 'PUT', tenantId, roles: ADMIN, body: JSON.stringify(settings) });
  if (response.status !== 200) throw new Error(`settings not saved: ${response.status} ${await response.text()}`);
}
