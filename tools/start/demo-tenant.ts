import { Role } from '@switchboard/auth/dev-tokens';
import { CrmCaseEventTypes, Topics } from '@switchboard/contracts';
import { crmSimulatorEndpoints } from '@switchboard/testing';
import { chmod, mkdir } from 'node:fs/promises';
import { configurationExample } from '../../apps/proactive-delivery/src/configurations/configuration.example';
import { type TenantClient, tenantClient } from './admin-client';
import { DEMO_S3_BUCKET, type DemoPeers } from './demo-peers';
import type { DemoTenantState } from './stack-state';

/** The demo tenant `npm start` seeds (and `--no-demo` leaves out): fixed, so a restart finds and refreshes it. */
export const DEMO_TENANT_ID = 'de300000-0000-4000-8000-00000000de30';
export const DEMO_AGENT_ID = '4711';
export const DEMO_EXPORT_FOLDER = 'demo-exports';
const DEMO_SENDER = '+14155550182';
const DEMO_QUEUE = 'Demo support';
const OUTCOME_ADDRESS = 'contact-center@demo.example';
// Secrets of a local demo on loopback: fixed so that a restart (and the README) can use them.
const CRM_WEBHOOK_SECRET = 'demo-crm-webhook-secret-0123456789abcdefghij';
const INGRESS_SECRET = 'demo-ingress-secret-0123456789abcdefghijklmn';
const allDay = [{ start: '00:00', end: '24:00' }];

export interface DemoTenantPeers {
  crm?: { url: string; username: string; password: string };
  dataverse?: { url: string; entraTenantId: string; clientId: string; clientSecret: string };
  demo: DemoPeers;
}

/**
 * Configures the demo tenant through the services' own admin APIs, as an administrator would: every peer of
 * `npm start` is wired in. Idempotent: settings are PUT again, named objects are found by name before being made.
 */
export async function seedDemoTenant(services: Record<string, string>, devKeysDir: string, peers: DemoTenantPeers): Promise<DemoTenantState> {
  const admin = tenantClient({ services, tenantId: DEMO_TENANT_ID, devKeysDir, defaultRoles: [Role.Administrator] });
  const [proactiveConfigurationId, messaging] = await Promise.all([seedProactiveDelivery(admin), seedOutboundMessaging(admin), seedCrmSync(admin, peers), seedStorageExport(admin, peers.demo), seedEventBridge(admin)]);
  return {
    tenantId: DEMO_TENANT_ID,
    agentId: DEMO_AGENT_ID,
    proactiveConfigurationId,
    ...messaging,
    channelSender: DEMO_SENDER,
    crmWebhookSecret: CRM_WEBHOOK_SECRET,
    ingressSecret: INGRESS_SECRET,
    outcomeEmailAddress: OUTCOME_ADDRESS,
    exportFolder: DEMO_EXPORT_FOLDER,
    afterCallDelaySec: peers.demo.afterCallDelaySec,
  };
}

/** The id of the tenant's object named `body.name` at `path`, made when there is none. */
async function findOrCreate(admin: TenantClient, service: string, path: string, body: { name: string } & Record<string, unknown>): Promise<string> {
  const { items } = await admin.expect<{ items: { id: string; name: string }[] }>(200, service, 'GET', path);
  const existing = items.find((item) => item.name === body.name);
  if (existing) return existing.id;
  return (await admin.expect<{ id: string }>(201, service, 'POST', path, body)).id;
}

/** E1: callbacks dialed through the built-in voice simulator (the documented example's provider) at any hour. */
function seedProactiveDelivery(admin: TenantClient): Promise<string> {
  return findOrCreate(admin, 'proactive-delivery', '/proactive/configurations', {
    ...configurationExample,
    name: 'Demo callbacks',
    maxAttempts: 2,
    timeZone: 'UTC',
    contactHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    blackoutDates: [],
  });
}

/** E2: an SMS template in two languages, a channel through the Twilio simulator, and a rule on new CRM cases. */
async function seedOutboundMessaging(admin: TenantClient): Promise<{ channelId: string; ruleId: string }> {
  const service = 'outbound-messaging';
  const templateId = await findOrCreate(admin, service, '/outbound/templates', {
    name: 'Demo case opened',
    channelType: 'sms',
    defaultLocale: 'en-US',
    versions: {
      'en-US': { text: 'Hello {{CustomerName}}, your case {{CaseName}} ({{caseTitle}}) was opened. Just reply to this text.' },
      'de-DE': { text: 'Hallo {{CustomerName}}, Ihr Fall {{CaseName}} ({{caseTitle}}) wurde eröffnet. Antworten Sie einfach auf diese SMS.' },
    },
  });
  const channelId = await findOrCreate(admin, service, '/outbound/channels', { name: 'Demo simulator line', channelType: 'sms', provider: 'simulator', sender: DEMO_SENDER });
  const configurationId = await findOrCreate(admin, service, '/outbound/configurations', { name: 'Demo case notifications', showInTimeline: true, channelType: 'sms', channelId, templateId });
  const ruleId = await findOrCreate(admin, service, '/outbound/rules', {
    name: 'Demo SMS on new cases',
    topic: Topics.crmCaseEvents,
    eventType: CrmCaseEventTypes.created,
    conditions: [{ field: 'status', in: ['New'] }],
    configurationId,
    contact: { entityrelationshipname: 'incident_msdyn_ocoutboundmessages' },
  });
  return { channelId, ruleId };
}

/** E2's CRM webhook secret, E3's custom CRM with session flows and outcome e-mail, E4's Dynamics data dip. */
async function seedCrmSync(admin: TenantClient, peers: DemoTenantPeers): Promise<void> {
  const service = 'crm-sync';
  await admin.expect(204, service, 'PUT', '/crm/case-events/secret', { secret: CRM_WEBHOOK_SECRET });
  if (peers.crm) {
    const { url, username, password } = peers.crm;
    await admin.expect(200, service, 'PUT', '/crm/custom/settings', { auth: { type: 'basic', username, password }, phoneFormat: 'e164', recordLookupUrl: `${url}/api/records/{RECORD_ID}`, endpoints: crmSimulatorEndpoints(url) });
  }
  await admin.expect(200, service, 'PUT', '/crm/session-flows/settings', { comments: { events: ['session_start', 'session_end'], format: 'text' } });
  await admin.expect(200, service, 'PUT', '/crm/outcome-email/settings', { global: { enabled: true, address: OUTCOME_ADDRESS }, subject: 'Session {SESSION_ID} ({QUEUE_NAME}) outcome' });
  if (peers.dataverse) {
    const { url, entraTenantId, clientId, clientSecret } = peers.dataverse;
    await admin.expect(200, service, 'PUT', '/crm/dynamics/settings', { organizationUrl: url, authorityUrl: url, entraTenantId, clientId, clientSecret, agentQueue: DEMO_QUEUE, answerBudgetMs: 8_000 });
  }
}

/** E3's exports: the folder on sshd (made by the "administrator", writable by the SFTP account), or a prefix in the S3 bucket. */
async function seedStorageExport(admin: TenantClient, peers: DemoPeers): Promise<void> {
  const body = { folderPath: DEMO_EXPORT_FOLDER, fileKinds: ['recordings', 'metadata'], destination: await exportDestination(peers) };
  await admin.expect(200, 'storage-export', 'POST', '/storage-export/settings/connect', body);
}

async function exportDestination(peers: DemoPeers): Promise<Record<string, unknown>> {
  if (peers.exports.kind === 's3') {
    const { endpoint, region, accessKeyId, secretAccessKey } = peers.exports.server;
    return { backend: 's3', endpoint, region, bucket: DEMO_S3_BUCKET, accessKeyId, secretAccessKey, forcePathStyle: true };
  }
  const sftp = peers.exports.server;
  await mkdir(peers.exportTarget.localDirectory, { recursive: true });
  await chmod(peers.exportTarget.localDirectory, 0o777);
  return { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint };
}

/** E3's signed adapter and platform events. */
async function seedEventBridge(admin: TenantClient): Promise<void> {
  await admin.expect(204, 'event-bridge', 'PUT', '/admin/ingress-secret', { secret: INGRESS_SECRET });
}
