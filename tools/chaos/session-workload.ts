import { Role, signBody } from '@switchboard/auth';
import { CrmSimulator, crmSimulatorEndpoints, type SftpServer, type SmtpPeer } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestStack } from '../e2e/support/test-stack';
import type { KindUnits } from './tally';
import { type Outcome, postJson, type UnitLedger, untilAnswered } from './workload';

/** One of the run's two session tenants: its own CRM, SFTP folder, outcome address and event-bridge secret. */
export interface SessionTenant {
  label: 'A' | 'B';
  tenantId: string;
  crm: CrmSimulator;
  folder: string;
  outcomeAddress: string;
  ingressSecret: string;
  /** The phone numbers' prefix (its own per tenant, so that an account is never shared by accident). */
  phonePrefix: string;
  /** Its metadata files also go to its CRM (SE1.4 → CS2.6): storage-export hands them over, crm-sync uploads them to the session's record. */
  uploadsToCrm: boolean;
}

const CRM_AUTH = { username: 'switchboard', password: `chaos-crm-${randomUUID()}` };
const QUEUE = { id: '8469', path: 'Support / Billing' };
const AGENT = 4711;

export async function startSessionTenant(label: 'A' | 'B', tenantId: string, phonePrefix: string, uploadsToCrm: boolean): Promise<SessionTenant> {
  const crm = await CrmSimulator.start({ host: '127.0.0.1', auth: { type: 'basic', ...CRM_AUTH } });
  return { label, tenantId, crm, folder: `chaos-sessions-${label.toLowerCase()}`, outcomeAddress: `outcomes-${label.toLowerCase()}@example.com`, ingressSecret: `chaos-ingress-${randomUUID()}`, phonePrefix, uploadsToCrm };
}

export type AdminCall = (service: string, method: string, path: string, body: unknown) => Promise<unknown>;

/** An administrator of `tenantId` calling a service's admin API; anything but a 2xx ends the run's setup. */
export function adminOf(stack: TestStack, tenantId: string): AdminCall {
  return async (service, method, path, body) => {
    const response = await stack.call(service as never, path, { method, tenantId, roles: [Role.Administrator], body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : {};
  };
}

/** Makes the folder an administrator would make on the SFTP server, writable by storage-export's account, and connects the tenant to it. */
export async function connectExportFolder(admin: AdminCall, sftp: SftpServer, folder: string, fileKinds: string[], alsoSendToCrm = false): Promise<void> {
  await mkdir(join(sftp.rootDir, folder));
  await chmod(join(sftp.rootDir, folder), 0o777);
  const destination = { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint };
  await admin('storage-export', 'POST', '/storage-export/settings/connect', { folderPath: folder, fileKinds, destination, alsoSendToCrm });
}

/** What E3 configures, for one tenant: event-bridge's secret, the custom CRM with session flows, the outcome e-mail, the metadata export. */
export async function configureSessionTenant(stack: TestStack, tenant: SessionTenant, sftp: SftpServer, exportFolderReady: boolean): Promise<void> {
  const admin = adminOf(stack, tenant.tenantId);
  await admin('event-bridge', 'PUT', '/admin/ingress-secret', { secret: tenant.ingressSecret });
  await admin('crm-sync', 'PUT', '/crm/custom/settings', { auth: { type: 'basic', ...CRM_AUTH }, phoneFormat: 'e164', reuseExistingRecords: false, endpoints: crmSimulatorEndpoints(tenant.crm.url) });
  // Standard: a CRM call that fails while a service or the database restarts is tried again (CS2.8).
  await admin('crm-sync', 'PUT', '/crm/session-flows/settings', { retryPolicy: 'standard', comments: { events: ['session_start', 'session_end'], format: 'text' } });
  await admin('crm-sync', 'PUT', '/crm/outcome-email/settings', { global: { enabled: true, address: tenant.outcomeAddress }, subject: 'Session {SESSION_ID} outcome' });
  if (!exportFolderReady) await connectExportFolder(admin, sftp, tenant.folder, ['metadata'], tenant.uploadsToCrm);
}

/** The four signed posts of one voice session, in the order the platform and the agent adapter send them (E3). */
export function sessionPosts(sessionId: string, phoneNumber: string): Array<{ name: string; path: string; body: unknown }> {
  const endedAt = new Date();
  const startedAt = new Date(endedAt.getTime() - 90_000);
  const answeredAt = new Date(endedAt.getTime() - 80_000);
  const endUser = { phoneNumber, name: `Customer ${sessionId}` };
  return [
    {
      name: 'session.started',
      path: '/contact-sessions/events',
      body: { type: 'session.started', sessionId, occurredAt: startedAt.toISOString(), data: { sessionType: 'Voice Inbound', channel: 'voice', endUser, queue: QUEUE, startedAt: startedAt.toISOString() } },
    },
    { name: 'New_Call', path: '/adapter-events', body: { type: 'New_Call', data: { call_id: sessionId, agent_id: AGENT, agent_email: 'kim.agent@example.com', session_type: 'Voice Inbound', queue_id: Number(QUEUE.id) } } },
    { name: 'End_Call', path: '/adapter-events', body: { type: 'End_Call', data: { call_id: sessionId, agent_id: AGENT } } },
    {
      name: 'session.ended',
      path: '/contact-sessions/events',
      body: {
        type: 'session.ended',
        sessionId,
        occurredAt: endedAt.toISOString(),
        data: {
          outcome: 'completed',
          times: { queuedAt: new Date(answeredAt.getTime() - 10_000).toISOString(), answeredAt: answeredAt.toISOString(), endedAt: endedAt.toISOString() },
          durations: { waitSeconds: 10, handleSeconds: 80, talkSeconds: 75 },
          diagnostics: { disconnectedBy: 'end_user', deviceType: 'pstn' },
        },
      },
    },
  ];
}

/** A signed server-side post to event-bridge (P1.4); event-bridge knows a repeated event, so every retry is safe (EB2.2). */
export function postSigned(eventBridgeUrl: string, tenant: SessionTenant, path: string, body: unknown): Promise<Outcome> {
  // postJson sends JSON.stringify(body), the very text signed here.
  return postJson(`${eventBridgeUrl}${path}`, body, { 'x-switchboard-tenant': tenant.tenantId, 'x-switchboard-signature': signBody(tenant.ingressSecret, JSON.stringify(body)) });
}

/** Per session kind of effect, how many times each session's effect is found at one tenant's peers. */
export interface SessionEffects {
  accounts: Map<string, number>;
  records: Map<string, number>;
  /** `<session>/start` and `<session>/end`. */
  comments: Map<string, number>;
  /** Records updated with the outcome (a PATCH replaces: a repeat cannot show). */
  updates: Map<string, number>;
  emails: Map<string, number>;
  files: Map<string, number>;
  /** Metadata files attached to records in the CRM, by the session id in the file's name. */
  uploads: Map<string, number>;
}

const bump = (counts: Map<string, number>, id: string | undefined) => id !== undefined && counts.set(id, (counts.get(id) ?? 0) + 1);

/** Counts every effect at one tenant's peers, by the session id each carries (`sessionPattern` finds it). */
export async function sessionEffectsAt(tenant: SessionTenant, smtp: SmtpPeer, sftp: SftpServer, sessionPattern: RegExp): Promise<SessionEffects> {
  const sessionIn = (text: unknown) => sessionPattern.exec(String(text ?? ''))?.[0];
  const effects: SessionEffects = { accounts: new Map(), records: new Map(), comments: new Map(), updates: new Map(), emails: new Map(), files: new Map(), uploads: new Map() };
  for (const account of tenant.crm.store.accounts.values()) bump(effects.accounts, sessionIn(account['name']));
  for (const record of tenant.crm.store.records.values()) {
    bump(effects.records, sessionIn(record['subject']));
    if (String(record['description'] ?? '').includes('Outcome: completed')) bump(effects.updates, sessionIn(record['subject']));
  }
  for (const comment of tenant.crm.store.comments) {
    const text = String(comment.fields['body'] ?? '');
    const part = /^Call \S+ started/.test(text) ? 'start' : /^Call \S+ ended/.test(text) ? 'end' : 'other';
    const session = sessionIn(text);
    bump(effects.comments, session === undefined ? undefined : `${session}/${part}`);
  }
  for (const attachment of tenant.crm.store.attachments.values()) if (/\.json$/.test(attachment.name)) bump(effects.uploads, sessionIn(attachment.name));
  for (const received of smtp.received) if (received.envelope.to.includes(tenant.outcomeAddress)) bump(effects.emails, sessionIn(received.mail.subject));
  const metadataFiles = await readdir(join(sftp.rootDir, tenant.folder, 'ujet-metadata')).catch(() => [] as string[]);
  for (const name of metadataFiles) if (name.endsWith('.json')) bump(effects.files, sessionIn(name));
  return effects;
}

/** The session ledger of one tenant: the sessions whose four posts were accepted, answered unknown, or refused. */
export interface SessionLedger {
  accepted: string[];
  unacknowledged: string[];
  refused: number;
  /** Event posts (session and adapter events) answered 202: the run's units of this kind. */
  eventsAccepted: number;
}

const SESSION_KINDS: ReadonlyArray<{ kind: keyof SessionEffects; title: string; note: string; perSession?: readonly string[]; onlyWhen?: (tenant: SessionTenant) => boolean }> = [
  { kind: 'accounts', title: 'CRM accounts', note: 'accounts in the tenant\'s CRM, by the session id in the customer name (one customer per session)' },
  { kind: 'records', title: 'CRM records', note: 'records in the tenant\'s CRM, by the session id in the subject' },
  { kind: 'comments', title: 'CRM comments', note: 'start and end comments on the session\'s record (two units per session); a comment posted twice counts doubled', perSession: ['start', 'end'] },
  { kind: 'updates', title: 'CRM record updates', note: 'the record\'s description carries the outcome; a PATCH replaces, so a repeat cannot show at the peer' },
  { kind: 'emails', title: 'outcome e-mails', note: 'mails at the SMTP peer to the tenant\'s outcome address, by the session id in the subject; SMTP has no idempotency: a kill between the server\'s 250 and the service recording it sends again (known gap)' },
  { kind: 'files', title: 'metadata files', note: 'session metadata files in the tenant\'s SFTP folder; a rewrite under the same name cannot show' },
  {
    kind: 'uploads',
    title: 'CRM uploads',
    note: 'metadata files storage-export handed over (also send to the CRM) and crm-sync attached to the session\'s record, by the session id in the attachment\'s name; a repeated upload is a second attachment',
    onlyWhen: (tenant) => tenant.uploadsToCrm,
  },
];

/**
 * The table's rows for one tenant's sessions: what its peers hold of its sessions, and as cross-tenant whatever of
 * them turned up at the other tenant's peers (any such effect fails the run).
 */
export function sessionKinds(tenant: SessionTenant, ledger: SessionLedger, own: SessionEffects, other: SessionEffects): KindUnits[] {
  return SESSION_KINDS.filter(({ onlyWhen }) => onlyWhen?.(tenant) ?? true).map(({ kind, title, note, perSession }) => {
    const unitsOf = (sessions: string[]) => (perSession ? sessions.flatMap((session) => perSession.map((part) => `${session}/${part}`)) : sessions);
    const mine = new Set(unitsOf([...ledger.accepted, ...ledger.unacknowledged]));
    const onlyMine = (counts: Map<string, number>) => new Map([...counts].filter(([unit]) => mine.has(unit)));
    return {
      kind: `${title} (tenant ${tenant.label})`,
      accepted: unitsOf(ledger.accepted),
      unacknowledged: unitsOf(ledger.unacknowledged),
      refused: ledger.refused * (perSession?.length ?? 1),
      effects: onlyMine(own[kind]),
      foreign: new Map([...other[kind]].filter(([unit]) => mine.has(unit))),
      note,
    };
  });
}

/**
 * One session through event-bridge: its four posts in order, each retried until answered (a repeated event is known
 * and changes nothing); the session counts as accepted once all four are, and stops at the first that is not.
 */
export async function runSession(eventBridgeUrl: () => string, tenant: SessionTenant, sessions: SessionLedger, events: UnitLedger, sessionId: string, phoneNumber: string, retryWindowMs: number): Promise<void> {
  for (const post of sessionPosts(sessionId, phoneNumber)) {
    const unit = `${sessionId}/${post.name}`;
    const answer = await untilAnswered(events, unit, 202, Date.now() + retryWindowMs, () => postSigned(eventBridgeUrl(), tenant, post.path, post.body));
    if (answer === undefined) {
      if (events.unacknowledged.at(-1) === unit) sessions.unacknowledged.push(sessionId);
      else sessions.refused++;
      return;
    }
    sessions.eventsAccepted++;
  }
  sessions.accepted.push(sessionId);
}
