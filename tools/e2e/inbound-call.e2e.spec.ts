import { Role, signBody } from '@switchboard/auth';
import { type SessionMetadata } from '@switchboard/contracts';
import { CrmSimulator, crmSimulatorEndpoints, launchHeadlessChromium, type SftpServer, SmtpPeer, startSftpServer } from '@switchboard/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../stack/service-process';
import { eventually, startTestStack, type TestStack } from './support/test-stack';

const TENANT = randomUUID();
const INGRESS_SECRET = `e3-ingress-secret-${randomUUID()}`;
/** The agent who takes the call: the adapter's agent_id and the `sub` of the agent page's token. */
const AGENT = '4711';
const AGENT_EMAIL = 'kim.agent@example.com';
const SESSION = `e3-${randomUUID().slice(0, 8)}`;
const CUSTOMER = { phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes' };
const QUEUE = { id: '8469', path: 'Support / Billing' };
const OUTCOME_ADDRESS = 'contact-center@example.com';
const CRM_AUTH = { username: 'switchboard', password: `crm-${randomUUID()}` };
/** OUTCOME_EMAIL_DELAY_SEC and METADATA_EXPORT_DELAY_SEC: the scenario's 15 minutes, shortened for a real process. */
const AFTER_END_SEC = 5;
/** Bounds for work crossing three processes, Kafka and a browser on a busy two-core machine; nothing asserted depends on them. */
const FLOW_TIMEOUT_MS = 60_000;
const SCREENSHOT_DIR = join(__dirname, '../../tmp/test-output/inbound-call');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The contact-center platform's media server (the recording, referenced by URL in SessionEnded) and the
 * CRM's own record pages (what the pop opens in the agent's CRM frame), on one small HTTP server.
 */
async function startPlatformAndCrmPages(recording: Buffer, crm: () => CrmSimulator): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    if (path === `/recordings/${SESSION}.wav`) return void response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(recording.length) }).end(recording);
    const record = path.startsWith('/crm/records/') ? crm().store.records.get(decodeURIComponent(path.slice('/crm/records/'.length))) : undefined;
    if (!record) return void response.writeHead(404).end();
    const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>CRM</title><h1>Record ${escape(record.id)}</h1><p id="subject">${escape(String(record['subject']))}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * E3 Inbound call across real processes (event-bridge, crm-sync, storage-export, built): the agent adapter
 * reports New_Call and End_Call and the contact-center platform the session, both signed; crm-sync finds or
 * creates the account and record in the reference CRM and pops the record on the agent's page (headless
 * Chromium); after the end it comments and updates the record; a few seconds later (the configured "15 minutes")
 * storage-export writes the metadata next to the recording on a real sshd and hands both files to crm-sync, which
 * attaches them to the record ("also send to the CRM"), and the outcome e-mail reaches SMTP.
 * Every service is configured through its own admin API.
 */
describe('E3 inbound call: New_Call → CRM account and record → pop on the agent page → End_Call → comment, update, export, e-mail (CS2–CS6, EB1–EB3, SE2–SE3)', () => {
  const recording = randomBytes(256 * 1024);
  let stack: TestStack;
  let crm: CrmSimulator;
  let smtp: SmtpPeer;
  let sftp: SftpServer;
  let pages: Awaited<ReturnType<typeof startPlatformAndCrmPages>>;
  let browser: Browser;
  let page: Page;
  const folder = `e3-exports-${SESSION}`;
  let endedAt: Date;
  /** The platform's session.ended, kept to send it again as a retrying sender would. */
  let sessionEnd: unknown;

  beforeAll(async () => {
    browser = await launchHeadlessChromium();
    [crm, smtp, sftp] = await Promise.all([CrmSimulator.start({ host: '127.0.0.1', auth: { type: 'basic', ...CRM_AUTH } }), SmtpPeer.start(), startSftpServer()]);
    pages = await startPlatformAndCrmPages(recording, () => crm);
    // The metadata file's download link, handed to crm-sync (SE1.4), names storage-export's own address.
    const storageExportPort = await freePort();
    stack = await startTestStack(
      ['event-bridge', 'crm-sync', 'storage-export'],
      {
        // The CRM simulator, the recording's server and sshd are on loopback, which the SSRF guard refuses unless listed.
        OUTBOUND_HTTP_ALLOW: '127.0.0.1',
        OUTCOME_EMAIL_SMTP_URL: smtp.url,
        OUTCOME_EMAIL_DELAY_SEC: String(AFTER_END_SEC),
        METADATA_EXPORT_DELAY_SEC: String(AFTER_END_SEC),
      },
      { ports: { 'storage-export': storageExportPort }, serviceEnv: { 'storage-export': { PUBLIC_BASE_URL: `http://127.0.0.1:${storageExportPort}` } } },
    );
    await configureServices();
    page = await browser.newPage();
    await page.goto(`${stack.url('event-bridge')}/demo/agent-desktop#token=${await stack.token(TENANT, [Role.OmnichannelAgent], AGENT)}`);
    // The stream starts live: the page must listen before the pop is made.
    await page.waitForSelector('#stream-state[data-state="open"]', { timeout: FLOW_TIMEOUT_MS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([crm?.close(), smtp?.close(), sftp?.stop(), new Promise((resolve) => pages?.server.close(resolve))]);
  });

  async function call(service: string, path: string, method: string, body?: unknown, roles = [Role.Administrator]): Promise<Response> {
    return fetch(`${stack.url(service)}${path}`, {
      method,
      headers: { authorization: `Bearer ${await stack.token(TENANT, roles)}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async function expectStatus(response: Promise<Response>, status: number): Promise<void> {
    const answered = await response;
    expect(answered.status, await answered.text()).toBe(status);
  }

  /** What an administrator sets up once per tenant, through each service's admin API. */
  async function configureServices(): Promise<void> {
    await expectStatus(call('event-bridge', '/admin/ingress-secret', 'PUT', { secret: INGRESS_SECRET }), 204);
    await expectStatus(
      call('crm-sync', '/crm/custom/settings', 'PUT', {
        auth: { type: 'basic', ...CRM_AUTH },
        phoneFormat: 'e164',
        recordLookupUrl: `${pages.url}/crm/records/{RECORD_ID}`,
        endpoints: crmSimulatorEndpoints(crm.url),
      }),
      200,
    );
    await expectStatus(call('crm-sync', '/crm/session-flows/settings', 'PUT', { comments: { events: ['session_start', 'session_end'], format: 'text' } }), 200);
    await expectStatus(call('crm-sync', '/crm/outcome-email/settings', 'PUT', { global: { enabled: true, address: OUTCOME_ADDRESS }, subject: 'Session {SESSION_ID} ({QUEUE_NAME}) outcome' }), 200);
    // The administrator made the folder on the SFTP server; storage-export's account writes below it.
    await mkdir(join(sftp.rootDir, folder));
    await chmod(join(sftp.rootDir, folder), 0o777);
    const destination = { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint };
    await expectStatus(call('storage-export', '/storage-export/settings/connect', 'POST', { folderPath: folder, fileKinds: ['recordings', 'metadata'], destination, alsoSendToCrm: true }), 200);
  }

  /** A signed server-side post to event-bridge (P1.4), as the adapter's and the platform's senders make it. */
  async function postSigned(path: string, event: unknown): Promise<{ status: number; body: { duplicate?: boolean } }> {
    const body = JSON.stringify(event);
    const response = await fetch(`${stack.url('event-bridge')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-tenant': TENANT, 'x-switchboard-signature': signBody(INGRESS_SECRET, body) },
      body,
    });
    return { status: response.status, body: (await response.json()) as { duplicate?: boolean } };
  }

  const adapterEvent = (type: string, data: Record<string, unknown>) => postSigned('/adapter-events', { type, data: { call_id: SESSION, ...data } });
  const sessionEventOf = (type: string, occurredAt: Date, data: Record<string, unknown>) => ({ type, sessionId: SESSION, occurredAt: occurredAt.toISOString(), data });
  const postSessionEvent = (event: unknown) => postSigned('/contact-sessions/events', event);

  const crmRequests = (method: string, path: RegExp) => crm.requests.filter((request) => request.method === method && path.test(request.path));
  const accountsOfCustomer = () => [...crm.store.accounts.values()].filter((account) => account['Phone'] === CUSTOMER.phoneNumber);
  const recordsOf = (accountId: string) => [...crm.store.records.values()].filter((record) => record.accountId === accountId);
  const theRecord = () => {
    const [account] = accountsOfCustomer();
    return account ? recordsOf(account.id)[0] : undefined;
  };
  const commentsOnTheRecord = () => crm.store.comments.filter((comment) => comment.recordId === theRecord()?.id).map((comment) => String(comment.fields['body']));
  const attachmentsOnTheRecord = () => [...crm.store.attachments.values()].filter((attachment) => attachment.recordId === theRecord()?.id);
  const onSftp = (path: string) => join(sftp.rootDir, folder, path);
  const fileOnSftp = (path: string) => readFile(onSftp(path)).catch(() => undefined);
  const outcomeMails = () => smtp.received.filter((received) => received.mail.subject === `Session ${SESSION} (${QUEUE.path}) outcome`);

  it('CS2.3 CS2.4 CS4.1 EB3.1 EB3.2 the call comes in: the account and record are created in the CRM and the record pops up on the agent page', async () => {
    const startedAt = new Date(Date.now() - 90_000);
    const started = await postSessionEvent(
      sessionEventOf('session.started', startedAt, { sessionType: 'Voice Inbound', channel: 'voice', endUser: CUSTOMER, queue: QUEUE, supportNumber: '+18005550199', startedAt: startedAt.toISOString() }),
    );
    expect(started.status).toBe(202);
    const newCall = await adapterEvent('New_Call', { agent_id: Number(AGENT), agent_email: AGENT_EMAIL, session_type: 'Voice Inbound', queue_id: Number(QUEUE.id) });
    expect(newCall).toEqual({ status: 202, body: expect.objectContaining({ duplicate: false }) });

    const record = await eventually(async () => theRecord(), 'the record of the call in the CRM', FLOW_TIMEOUT_MS);
    const recordUrl = `${pages.url}/crm/records/${record.id}`;
    await page.waitForFunction((url) => document.querySelector('iframe[name="crm"]')?.getAttribute('src') === url, recordUrl, { timeout: FLOW_TIMEOUT_MS });

    expect(accountsOfCustomer()).toEqual([expect.objectContaining({ name: CUSTOMER.name, Phone: CUSTOMER.phoneNumber })]);
    expect(record['subject']).toBe(`Voice Inbound ${SESSION} with ${CUSTOMER.name}`);
    const crmFrame = page.frame({ name: 'crm' });
    await crmFrame?.waitForSelector('#subject', { timeout: FLOW_TIMEOUT_MS });
    expect(await crmFrame?.textContent('h1')).toBe(`Record ${record.id}`);
    expect(await crmFrame?.textContent('#subject')).toBe(record['subject']);
    expect(await page.locator('#events li[data-type="CRM_Record_Pop"]').allTextContents()).toEqual([expect.stringContaining(recordUrl)]);
    await eventually(async () => (commentsOnTheRecord().length > 0 ? true : undefined), 'the start comment', FLOW_TIMEOUT_MS);
    expect(commentsOnTheRecord()).toEqual([expect.stringMatching(new RegExp(`^Call ${SESSION} started`))]);
  }, 150_000);

  it('CS4.3 CS2.5 CS2.7 the call ends: the record is commented on and updated with the outcome and the agent', async () => {
    expect((await adapterEvent('End_Call', { agent_id: Number(AGENT) })).status).toBe(202);
    endedAt = new Date();
    const answeredAt = new Date(endedAt.getTime() - 80_000);
    sessionEnd = sessionEventOf('session.ended', endedAt, {
      outcome: 'completed',
      times: { queuedAt: new Date(answeredAt.getTime() - 10_000).toISOString(), answeredAt: answeredAt.toISOString(), endedAt: endedAt.toISOString() },
      durations: { waitSeconds: 10, handleSeconds: 80, talkSeconds: 75 },
      recordings: [{ id: 'rec-1', url: `${pages.url}/recordings/${SESSION}.wav`, contentType: 'audio/wav' }],
      diagnostics: { disconnectedBy: 'end_user', deviceType: 'pstn' },
    });
    expect((await postSessionEvent(sessionEnd)).status).toBe(202);

    await eventually(async () => (commentsOnTheRecord().length >= 2 && theRecord()?.['description'] ? true : undefined), 'the end comment and the update', FLOW_TIMEOUT_MS);
    expect(commentsOnTheRecord()).toEqual([expect.stringMatching(new RegExp(`^Call ${SESSION} started`)), `Call ${SESSION} ended (completed, duration 01:20) at ${endedAt.toISOString()}.`]);
    const description = String(theRecord()?.['description']);
    expect(description).toContain('Outcome: completed');
    // The agent came from the adapter's New_Call only: the platform's events never named one.
    expect(description).toContain(`Agent: ${AGENT_EMAIL}`);
    expect(description).toContain('Duration: 01:20');
  }, 150_000);

  it('SE2 SE3.1 SE3.3 the recording and, after the configured delay, the session metadata are at the destination, whole', async () => {
    const recordingOnSftp = await eventually(() => fileOnSftp(`ujet-voice-recordings/call-${SESSION}.wav`), 'the recording on the SFTP server', FLOW_TIMEOUT_MS);
    expect(recordingOnSftp.length).toBe(recording.length);
    expect(sha256(recordingOnSftp)).toBe(sha256(recording));

    const metadataBytes = await eventually(() => fileOnSftp(`ujet-metadata/call-${SESSION}.json`), 'the metadata file on the SFTP server', FLOW_TIMEOUT_MS);
    const metadata = JSON.parse(metadataBytes.toString('utf8')) as SessionMetadata;
    expect(metadata.session).toMatchObject({ id: SESSION, type: 'Voice Inbound', channel: 'voice', outcome: 'completed', endedAt: endedAt.toISOString(), queue: QUEUE });
    expect(metadata.endUser).toMatchObject(CUSTOMER);
    expect(metadata.participants).toContainEqual(expect.objectContaining({ type: 'agent', id: AGENT, source: 'adapter' }));
    expect(metadata.files.recordings).toEqual([expect.objectContaining({ id: 'rec-1', url: `${pages.url}/recordings/${SESSION}.wav` })]);
    // Written no earlier than METADATA_EXPORT_DELAY_SEC after the end (1 s of slack for file-time granularity).
    const written = (await stat(onSftp(`ujet-metadata/call-${SESSION}.json`))).mtime;
    expect(written.getTime()).toBeGreaterThanOrEqual(endedAt.getTime() + AFTER_END_SEC * 1000 - 1000);

    // What storage-export says it wrote: the same bytes (sha256) as found at the destination. The file is renamed into
    // place before its row commits as exported, so the view may lag the folder by a moment.
    const files = await eventually(async () => {
      const exportsView = await call('storage-export', `/sessions/${SESSION}/exports`, 'GET');
      expect(exportsView.status).toBe(200);
      const listed = ((await exportsView.json()) as { files: { fileName: string; status: string; sha256: string }[] }).files;
      return listed.every((file) => file.status !== 'pending') ? listed : undefined;
    }, 'both files recorded as exported', FLOW_TIMEOUT_MS);
    expect(files.map((file) => [file.fileName, file.status, file.sha256]).sort()).toEqual([
      [`call-${SESSION}.json`, 'exported', sha256(metadataBytes)],
      [`call-${SESSION}.wav`, 'exported', sha256(recording)],
    ]);
  }, 150_000);

  it('SE1.4 CS2.6 "also send to the CRM": the recording and the metadata file are attached to the session\'s record, the same bytes', async () => {
    const attached = await eventually(async () => (attachmentsOnTheRecord().length >= 2 ? attachmentsOnTheRecord() : undefined), 'two attachments on the record', FLOW_TIMEOUT_MS);
    const checksumOf = new Map(attached.map((attachment) => [attachment.name, sha256(attachment.data)]));
    expect([...checksumOf.keys()].sort()).toEqual([`call-${SESSION}.json`, `call-${SESSION}.wav`]);
    expect(checksumOf.get(`call-${SESSION}.wav`)).toBe(sha256(recording));
    // The metadata document through storage-export's signed download link: the bytes written to SFTP.
    const metadataOnSftp = await eventually(() => fileOnSftp(`ujet-metadata/call-${SESSION}.json`), 'the metadata file on the SFTP server', FLOW_TIMEOUT_MS);
    expect(checksumOf.get(`call-${SESSION}.json`)).toBe(sha256(metadataOnSftp));
  }, 150_000);

  it('CS6.1 CS6.2 the outcome e-mail goes out after the configured delay, to the configured address, with the session metadata', async () => {
    const received = await eventually(async () => outcomeMails()[0], 'the outcome e-mail at the SMTP peer', FLOW_TIMEOUT_MS);
    expect(received.envelope.to).toEqual([OUTCOME_ADDRESS]);
    const metadata = JSON.parse(received.mail.text ?? '') as SessionMetadata;
    // The same document as the exported one: both come from the one SessionEnded event-bridge published.
    const exported = await eventually(() => fileOnSftp(`ujet-metadata/call-${SESSION}.json`), 'the metadata file on the SFTP server', FLOW_TIMEOUT_MS);
    expect(metadata).toEqual(JSON.parse(exported.toString('utf8')));
    // Sent no earlier than OUTCOME_EMAIL_DELAY_SEC after the end (the Date header has whole seconds).
    expect(received.mail.date?.getTime()).toBeGreaterThanOrEqual(endedAt.getTime() + AFTER_END_SEC * 1000 - 1000);
  }, 150_000);

  it('EB2.2 CS2.8 SE3.3 everything happened once: one account, one record, one pop, one update, two comments, one file each, one attachment each, one e-mail', async () => {
    // The senders retry: the same End_Call and the same session end again are recognised and change nothing.
    expect((await adapterEvent('End_Call', { agent_id: Number(AGENT) })).body.duplicate).toBe(true);
    expect((await postSessionEvent(sessionEnd)).body.duplicate).toBe(true);

    expect(accountsOfCustomer()).toHaveLength(1);
    expect(crmRequests('POST', /^\/api\/accounts$/)).toHaveLength(1);
    expect(crmRequests('POST', /^\/api\/records$/)).toHaveLength(1);
    expect(crmRequests('PATCH', /^\/api\/records\/[^/]+$/)).toHaveLength(1);
    expect(commentsOnTheRecord()).toHaveLength(2);
    expect(await page.locator('#events li[data-type="CRM_Record_Pop"]').count()).toBe(1);
    expect((await readdir(onSftp('ujet-voice-recordings'))).sort()).toEqual([`call-${SESSION}.wav`]);
    expect((await readdir(onSftp('ujet-metadata'))).sort()).toEqual([`call-${SESSION}.json`]);
    expect(outcomeMails()).toHaveLength(1);
    expect(attachmentsOnTheRecord()).toHaveLength(2);
    // For a person to look at: the agent page with the record in its CRM frame and the call's events in its stream.
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'agent-page.png'), fullPage: true });
  }, 60_000);
});
