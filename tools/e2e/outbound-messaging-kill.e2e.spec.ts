import { Role } from '@switchboard/auth';
import { AcsSmsSimulator, TwilioSimulator } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { CrashProbe, killOnRequest, type ObservedPeer, processOf } from './support/crash-recovery';
import { eventually, startTestStack, type TestStack } from './support/test-stack';

const TENANT = randomUUID();
/** The invoke API's wire path (OM3), as a flow calls it. */
const INVOKE_PATH = '/api/data/v9.2/msdyn_InvokeOutboundAPI';
// Only the simulators' address is allow-listed (P2.5): 127.0.0.1, where the services listen, stays refused.
const SIMULATOR_HOST = '127.0.0.2';
const CONTACTS = 100;
const REQUESTS = 5;
const MESSAGES = CONTACTS * REQUESTS;
/** The channels' configured rate: the batch takes ~10 s to send, long enough to be killed in the middle. */
const MESSAGES_PER_SECOND = 50;
/** A killed replica's claimed messages go back to the queue once their lease runs out (the minimum the service accepts). */
const SEND_LEASE_SECONDS = 5;
/** Bounds for work across processes on a busy two-core machine; nothing asserted depends on them. */
const FLOW_TIMEOUT_MS = 60_000;

/** German mobile numbers, valid in their plan: +49 1512 345 0000 … */
const contactNumber = (index: number) => `+4915123450${String(index).padStart(3, '0')}`;
/** Each message's text is unique (request and contact in the case name), so the simulator's copies can be told apart. */
const caseName = (request: number, index: number) => `R${request}-C${index}`;

type Sent = { body: string; to: string };

/**
 * Issue 11: outbound-messaging, a separate process, SIGKILLed while it sends 5 invoke requests × 100 contacts and
 * started again; then the provider's side is counted. Every accepted message arrives. Through Azure Communication
 * Services none arrives twice: each send carries a repeatabilityRequestId stable per message, so a send repeated
 * after the kill is answered from the first. Twilio has no idempotency key: a message the killed process had handed
 * over ("sending", outcome not written) is in doubt after its lease, and is looked up in Twilio's Messages list
 * before it is sent again, so none arrives twice either.
 */
describe('outbound-messaging killed (SIGKILL) mid-batch and restarted: nothing lost, nothing sent twice (issue 11, OM3.3, OM3.4)', () => {
  let stack: TestStack;
  let acs: AcsSmsSimulator;
  let twilio: TwilioSimulator;
  let probe: CrashProbe;

  beforeAll(async () => {
    [acs, twilio] = await Promise.all([AcsSmsSimulator.start({ host: SIMULATOR_HOST }), TwilioSimulator.start({ host: SIMULATOR_HOST, statusCallbacks: 'none' })]);
    stack = await startTestStack(['outbound-messaging'], {
      OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32`,
      // Automated sends wait for the customer's daytime; invoke sends leave at once, but no clock should matter here.
      MESSAGING_QUIET_HOURS: 'off',
      SEND_POLL_MS: '100',
      SEND_LEASE_SECONDS: String(SEND_LEASE_SECONDS),
    });
    probe = await CrashProbe.connect(stack.databaseUrl);
  }, 180_000);

  afterAll(async () => {
    await probe?.close();
    await stack?.stop();
    await Promise.all([acs?.close(), twilio?.close()]);
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await stack.call('outbound-messaging', path, { method: 'POST', tenantId: TENANT, roles: [Role.Administrator], body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function created(path: string, body: unknown): Promise<string> {
    const answer = await post(path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return String(answer.body['id']);
  }

  /** Template, channel on the given provider and configuration, through the admin API. */
  async function configurationFor(name: string, channel: Record<string, unknown>): Promise<string> {
    const templateId = await created('/outbound/templates', { name: `Kill ${name}`, channelType: 'sms', defaultLocale: 'en-US', versions: { 'en-US': { text: 'Hello {{CustomerName}}, about {{CaseName}}.' } } });
    const channelId = await created('/outbound/channels', { name: `Kill ${name}`, channelType: 'sms', sender: '+14155550182', messagesPerSecond: MESSAGES_PER_SECOND, ...channel });
    return created('/outbound/configurations', { name: `Kill ${name}`, showInTimeline: false, channelType: 'sms', channelId, templateId });
  }

  async function invokeAll(configurationId: string): Promise<void> {
    for (let request = 0; request < REQUESTS; request++) {
      const ContactList = Array.from({ length: CONTACTS }, (_, index) => ({
        tocontactid: contactNumber(index),
        channelid: 'sms',
        option: true,
        CustomerName: `Customer ${index}`,
        CaseName: caseName(request, index),
      }));
      const answer = await post(INVOKE_PATH, { msdyn_ocoutboundconfigurationid: configurationId, ContactList });
      expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(200);
      expect(answer.body['accepted']).toBe(CONTACTS);
    }
  }

  const expectedBodies = () => Array.from({ length: REQUESTS }, (_, request) => Array.from({ length: CONTACTS }, (_, index) => `Hello Customer ${index}, about ${caseName(request, index)}.`)).flat();

  const statusCounts = async (configurationId: string) =>
    Object.fromEntries(
      (
        await probe.query<{ status: string; count: string }>(`SELECT status, count(*) AS count FROM outbound_messaging.outbound_message WHERE configuration_id = $1 GROUP BY status`, [configurationId])
      ).map((row) => [row.status, Number(row.count)]),
    ) as Record<string, number>;

  /**
   * Sends the batch, kills the service as a send reaches the provider a second after the invoke requests were
   * accepted (that send is accepted, its answer lost), checks that this is mid-batch, starts the service again and
   * waits until every message is sent. Answers what the killed process had in flight ("sending" in the table,
   * frozen by the kill: claimed, possibly accepted by the provider, outcome not written).
   */
  async function sendThroughAKill(configurationId: string, provider: ObservedPeer, isSend: (request: IncomingMessage) => boolean, arrived: () => Sent[]): Promise<{ inFlightAtKill: number; atKill: number }> {
    await invokeAll(configurationId);
    // Armed once every request is accepted (a kill must not cut the invoke calls): 50 sends later.
    await killOnRequest(provider, processOf(stack, 'outbound-messaging'), 50, isSend);
    const atKill = arrived().length;
    const inFlightAtKill = (await statusCounts(configurationId))['sending'] ?? 0;
    expect(atKill, 'killed mid-batch, not after it').toBeLessThan(MESSAGES * 0.8);
    await stack.start('outbound-messaging');
    await eventually(async () => ((await statusCounts(configurationId))['sent'] === MESSAGES ? true : undefined), 'every message sent', FLOW_TIMEOUT_MS);
    return { inFlightAtKill, atKill };
  }

  function countCopies(arrived: Sent[]): { missing: string[]; doubled: number; wrongRecipient: number } {
    const copies = new Map<string, number>();
    for (const message of arrived) copies.set(message.body, (copies.get(message.body) ?? 0) + 1);
    const expected = expectedBodies();
    const wrongRecipient = arrived.filter((message) => !message.body.includes(`Customer ${Number(message.to.slice(-3))},`)).length;
    return { missing: expected.filter((body) => !copies.has(body)), doubled: arrived.length - copies.size, wrongRecipient };
  }

  it('ACS: every accepted message arrives exactly once (repeatabilityRequestId)', async () => {
    const configurationId = await configurationFor('ACS', { provider: 'acs', account: { endpoint: acs.url }, credentials: { accessKey: acs.accessKey } });
    const arrived = (): Sent[] => [...acs.messages.values()].map((message) => ({ body: message.message, to: message.to }));
    const { inFlightAtKill, atKill } = await sendThroughAKill(configurationId, acs, (request) => request.method === 'POST' && request.url?.startsWith('/sms') === true, arrived);

    const { missing, doubled, wrongRecipient } = countCopies(arrived());
    const sendRequests = acs.requests.filter((request) => request.method === 'POST' && request.path === '/sms').length;
    console.info(`[outbound-messaging kill, ACS] killed at ${atKill}/${MESSAGES} at the provider, ${inFlightAtKill} sending; send requests ${sendRequests} for ${MESSAGES} messages (repeats answered from the first: ${sendRequests - MESSAGES}); doubles ${doubled}`);
    expect(missing).toEqual([]);
    expect(wrongRecipient).toBe(0);
    // The send the kill cut was sent again after the lease, and ACS answered it from the first: the window was hit.
    expect(sendRequests).toBeGreaterThan(MESSAGES);
    expect(doubled).toBe(0);
    expect(arrived()).toHaveLength(MESSAGES);
  }, 150_000);

  it('Twilio: every accepted message arrives exactly once (messages in doubt looked up in the Messages list before any resend)', async () => {
    const configurationId = await configurationFor('Twilio', { provider: 'twilio', account: { accountSid: twilio.account.accountSid, apiBaseUrl: twilio.url }, credentials: { authToken: twilio.account.authToken } });
    const arrived = (): Sent[] => [...twilio.messages.values()].map((message) => ({ body: message.body, to: message.to }));
    const { inFlightAtKill, atKill } = await sendThroughAKill(configurationId, twilio, (request) => request.method === 'POST' && request.url?.endsWith('/Messages.json') === true, arrived);

    const { missing, doubled, wrongRecipient } = countCopies(arrived());
    const lookups = twilio.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/Messages.json')).length;
    console.info(`[outbound-messaging kill, Twilio] killed at ${atKill}/${MESSAGES} at the provider, ${inFlightAtKill} sending; lookups of messages in doubt ${lookups}; doubles ${doubled}`);
    expect(missing).toEqual([]);
    expect(wrongRecipient).toBe(0);
    // The kill left messages in doubt, and they were looked up rather than sent blindly: the window was hit.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(lookups).toBeGreaterThan(0);
    expect(doubled).toBe(0);
    expect(arrived()).toHaveLength(MESSAGES);
  }, 150_000);
});
