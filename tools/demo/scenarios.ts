import { Role } from '@switchboard/auth/dev-tokens';
import { signBody } from '@switchboard/auth/hmac';
import { openSseStream, type SseStream } from '@switchboard/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { daytimeNumber } from '../e2e/support/daytime-number';
import type { TenantClient } from '../start/admin-client';
import { LOCAL_CRM_PASSWORD, LOCAL_CRM_USER } from '../start/crm-peer';
import type { DemoTenantState, StackState } from '../start/stack-state';
import { type Evidence, type Step, waitFor } from './steps';

export interface DemoContext {
  state: StackState;
  tenant: DemoTenantState;
  client: TenantClient;
  record(evidence: Omit<Evidence, 'scenario'>): void;
}

export interface Scenario {
  id: 'e1' | 'e2' | 'e3' | 'e4';
  title: string;
  /** Fresh steps for one run (they share what earlier steps found through the closure). */
  steps(): Step<DemoContext>[];
}

/** A service's own processing on two busy cores: seconds, with room. */
const HOP_MS = 30_000;
const CALL_MS = 15_000;

function url(state: StackState, service: string): string {
  const found = state.services[service];
  if (!found) throw new Error(`${service} is not running in this stack`);
  return found;
}

function peer(state: StackState, name: 'crm' | 'twilio' | 'dataverse'): string {
  const found = state.peers[name];
  if (!found) throw new Error(`npm start runs no ${name} simulator (its port was set to off)`);
  return found;
}

async function getJson<T>(address: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(address, { headers, signal: AbortSignal.timeout(CALL_MS) });
  if (!response.ok) throw new Error(`GET ${address} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A signed server-side post (P1.4), as a CRM's webhook or the contact-center platform sends it. */
async function postSigned(address: string, tenantId: string, secret: string, event: unknown): Promise<Record<string, unknown>> {
  const body = JSON.stringify(event);
  const response = await fetch(address, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchboard-tenant': tenantId, 'x-switchboard-signature': signBody(secret, body) },
    body,
    signal: AbortSignal.timeout(CALL_MS),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 202) throw new Error(`POST ${address} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * The contact-center platform's media server for E3: the call's recording, which storage-export fetches by
 * the URL in session.ended (it runs in this process for as long as the scenario needs it).
 */
async function serveRecording(path: string, bytes: Buffer): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url !== path) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(bytes.length) }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}` };
}

/** E1: a web site asks for a callback; the built-in voice simulator answers it. */
const e1: Scenario = {
  id: 'e1',
  title: 'E1 callback',
  steps() {
    let deliveryId = '';
    const view = (ctx: DemoContext) => ctx.client.expect<{ Status: string; Attempts: number }>(200, 'proactive-delivery', 'GET', `/proactive/deliveries/${deliveryId}`, undefined, [Role.OmnichannelSupervisor]);
    return [
      {
        name: 'callback requested by a web site',
        limitMs: CALL_MS,
        async run(ctx) {
          const body = { ApiVersion: '1.0', ProactiveEngagementConfigId: ctx.tenant.proactiveConfigurationId, DestinationPhoneNumber: daytimeNumber(), ContactId: randomUUID(), InputAttributes: { type: 'callback' } };
          deliveryId = (await ctx.client.expect<{ DeliveryId: string }>(200, 'proactive-delivery', 'POST', '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery', body, [Role.OmnichannelSupervisor])).DeliveryId;
          return `delivery ${deliveryId}`;
        },
      },
      {
        name: 'dialed through the voice simulator',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          const { Attempts } = await waitFor(signal, 'a dial attempt', async () => {
            const delivery = await view(ctx);
            return delivery.Attempts >= 1 ? delivery : undefined;
          });
          return `attempt ${Attempts}`;
        },
      },
      {
        name: 'outcome recorded: completed',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          const status = await waitFor(signal, 'status Completed', async () => {
            const { Status } = await view(ctx);
            return Status === 'Completed' ? Status : undefined;
          });
          ctx.record({ service: 'proactive-delivery', did: 'stored, dialed and completed the callback', link: `${url(ctx.state, 'proactive-delivery')}/proactive/deliveries/${deliveryId}` });
          return status;
        },
      },
    ];
  },
};

/** E2: a CRM's "case created" becomes an SMS in the contact's language, delivered, and the reply comes back. */
const e2: Scenario = {
  id: 'e2',
  title: 'E2 case notification',
  steps() {
    const customer = '+4915123456701';
    const caseNumber = `CAS-${randomUUID().slice(0, 8).toUpperCase()}`;
    let eventId = '';
    let messageId = '';
    let smsSid = '';
    return [
      {
        name: 'CRM reports "case created"',
        limitMs: CALL_MS,
        async run(ctx) {
          const event = {
            id: `evt-${randomUUID()}`,
            type: 'case.created',
            occurredAt: new Date().toISOString(),
            case: { id: `case-${randomUUID().slice(0, 8)}`, number: caseNumber, title: 'Rechnung doppelt abgebucht', status: 'New', owner: { id: 'u-17', name: 'Kim Lee' } },
            contact: { id: 'contact-jw', phoneNumber: customer, name: 'Jonas Weber', locale: 'de-DE' },
          };
          eventId = String((await postSigned(`${url(ctx.state, 'crm-sync')}/crm/case-events`, ctx.tenant.tenantId, ctx.tenant.crmWebhookSecret, event))['eventId']);
          ctx.record({ service: 'crm-sync', did: `accepted case ${caseNumber} and published it on Kafka`, link: `event ${eventId}` });
          return `event ${eventId}`;
        },
      },
      {
        name: 'automated rule fired',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          const firing = await waitFor(signal, 'the rule firing', async () => {
            const { items } = await ctx.client.expect<{ items: { eventId: string; outcome: string; messageId: string | null; reason: string | null }[] }>(200, 'outbound-messaging', 'GET', `/outbound/rules/${ctx.tenant.ruleId}/firings`);
            return items.find((item) => item.eventId === eventId);
          });
          if (firing.outcome !== 'queued' || !firing.messageId) throw new Error(`the rule fired with outcome ${firing.outcome}${firing.reason ? ` (${firing.reason})` : ''}`);
          messageId = firing.messageId;
          return `message ${messageId}`;
        },
      },
      {
        name: 'SMS at the Twilio simulator',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          const twilio = peer(ctx.state, 'twilio');
          const sms = await waitFor(signal, 'the SMS', async () => {
            const { messages } = await getJson<{ messages: { sid: string; to: string; body: string }[] }>(`${twilio}/_simulator/messages`);
            return messages.find((message) => message.to === customer && message.body.includes(caseNumber));
          });
          smsSid = sms.sid;
          ctx.record({ service: 'Twilio simulator', did: `received the SMS "${sms.body.slice(0, 40)}…"`, link: `${twilio}/_simulator/messages` });
          return `"${sms.body.slice(0, 50)}…"`;
        },
      },
      {
        name: 'delivery receipt: delivered',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          await waitFor(signal, 'status delivered', async () => {
            const message = await ctx.client.expect<{ status: string }>(200, 'outbound-messaging', 'GET', `/outbound/messages/${messageId}`, undefined, [Role.OmnichannelSupervisor]);
            return message.status === 'delivered' ? true : undefined;
          });
          ctx.record({ service: 'outbound-messaging', did: 'rendered the de-DE template, sent and tracked the SMS to delivered', link: `${url(ctx.state, 'outbound-messaging')}/outbound/messages/${messageId}` });
          return `sid ${smsSid}`;
        },
      },
      {
        name: "customer's reply reached outbound-messaging",
        limitMs: CALL_MS,
        async run(ctx, signal) {
          const inboundUrl = `${url(ctx.state, 'outbound-messaging')}/outbound/webhooks/twilio/inbound/${ctx.tenant.channelId}`;
          const response = await fetch(`${peer(ctx.state, 'twilio')}/_simulator/inbound`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ from: customer, to: ctx.tenant.channelSender, body: 'Danke, ich rufe morgen an.', url: inboundUrl }),
            signal: AbortSignal.timeout(CALL_MS),
          });
          const reply = (await response.json()) as { messageSid?: string; status?: number; responseBody?: string; error?: string };
          if (reply.status !== 200) throw new Error(`the signed inbound webhook was answered ${reply.status ?? reply.error}: ${reply.responseBody ?? ''}`);
          const linked = await waitFor(signal, 'the reply linked to the SMS', async () => {
            const message = await ctx.client.expect<{ replies: { id: string; body: string }[] }>(200, 'outbound-messaging', 'GET', `/outbound/messages/${messageId}`, undefined, [Role.OmnichannelSupervisor]);
            return message.replies.find((item) => item.body === 'Danke, ich rufe morgen an.');
          });
          ctx.record({ service: 'outbound-messaging', did: 'linked the reply to the SMS it answers and published it on conversation.inbound.v1', link: `${url(ctx.state, 'outbound-messaging')}/outbound/messages/${messageId}` });
          return `reply ${reply.messageSid} linked to message ${messageId} as ${linked.id}`;
        },
      },
    ];
  },
};

/** E3: an inbound call pops the CRM record on the agent's page; after it ends the record, export and e-mail follow. */
const e3: Scenario = {
  id: 'e3',
  title: 'E3 inbound call',
  steps() {
    const session = `demo-${randomUUID().slice(0, 8)}`;
    const customer = { phoneNumber: '+14155552671', email: 'dana@example.com', name: 'Dana Reyes' };
    const queue = { id: '8469', path: 'Support / Billing' };
    let stream: SseStream | undefined;
    let media: { server: Server; url: string } | undefined;
    let recordId = '';
    const crmAuth = { authorization: `Basic ${Buffer.from(`${LOCAL_CRM_USER}:${LOCAL_CRM_PASSWORD}`).toString('base64')}` };
    const signedToBridge = (ctx: DemoContext, path: string, event: unknown) => postSigned(`${url(ctx.state, 'event-bridge')}${path}`, ctx.tenant.tenantId, ctx.tenant.ingressSecret, event);
    const adapterEvent = (ctx: DemoContext, type: string) => signedToBridge(ctx, '/adapter-events', { type, data: { call_id: session, agent_id: Number(ctx.tenant.agentId), agent_email: 'kim.agent@demo.example', session_type: 'Voice Inbound', queue_id: Number(queue.id) } });
    const sessionEvent = (ctx: DemoContext, type: string, occurredAt: Date, data: Record<string, unknown>) => signedToBridge(ctx, '/contact-sessions/events', { type, sessionId: session, occurredAt: occurredAt.toISOString(), data });
    const theRecord = async (ctx: DemoContext) => (await getJson<{ data: Record<string, unknown>[] }>(`${peer(ctx.state, 'crm')}/api/records?subject=${encodeURIComponent(`*${session}*`)}`, crmAuth)).data[0];
    const afterCallMs = (ctx: DemoContext) => ctx.tenant.afterCallDelaySec * 1000 + HOP_MS;
    return [
      {
        name: "agent's desktop stream open",
        limitMs: CALL_MS,
        async run(ctx) {
          const token = await ctx.client.token([Role.OmnichannelAgent], ctx.tenant.agentId);
          stream = await openSseStream(`${url(ctx.state, 'event-bridge')}/agent-stream`, { headers: { authorization: `Bearer ${token}` } });
          if (stream.status !== 200) throw new Error(`the agent stream answered ${stream.status}: ${await stream.body()}`);
          return `agent ${ctx.tenant.agentId}`;
        },
      },
      {
        name: 'call comes in (session.started, New_Call)',
        limitMs: CALL_MS,
        async run(ctx) {
          const startedAt = new Date(Date.now() - 60_000);
          await sessionEvent(ctx, 'session.started', startedAt, { sessionType: 'Voice Inbound', channel: 'voice', endUser: customer, queue, supportNumber: '+18005550199', startedAt: startedAt.toISOString() });
          await adapterEvent(ctx, 'New_Call');
          return `session ${session}`;
        },
      },
      {
        name: 'account and record in the CRM',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          const record = await waitFor(signal, 'the record', () => theRecord(ctx));
          recordId = String(record['id']);
          return `record ${recordId}`;
        },
      },
      {
        name: 'CRM_Record_Pop on the agent desktop',
        limitMs: HOP_MS,
        async run(_ctx, signal) {
          await waitFor(signal, 'the pop', async () => stream?.events.find((event) => event.event === 'CRM_Record_Pop' && event.data.includes(recordId)));
          return 'popped';
        },
      },
      {
        name: 'call ends (End_Call, session.ended)',
        limitMs: CALL_MS,
        async run(ctx) {
          stream?.close();
          const recording = await serveRecording(`/recordings/${session}.wav`, randomBytes(64 * 1024));
          media = recording;
          await adapterEvent(ctx, 'End_Call');
          const endedAt = new Date();
          const answeredAt = new Date(endedAt.getTime() - 50_000);
          await sessionEvent(ctx, 'session.ended', endedAt, {
            outcome: 'completed',
            times: { queuedAt: new Date(answeredAt.getTime() - 10_000).toISOString(), answeredAt: answeredAt.toISOString(), endedAt: endedAt.toISOString() },
            durations: { waitSeconds: 10, handleSeconds: 50, talkSeconds: 45 },
            recordings: [{ id: 'rec-1', url: recording.url, contentType: 'audio/wav' }],
            diagnostics: { disconnectedBy: 'end_user', deviceType: 'pstn' },
          });
          return 'ended';
        },
      },
      {
        name: 'CRM record commented and updated',
        limitMs: HOP_MS,
        async run(ctx, signal) {
          await waitFor(signal, 'the update', async () => (String((await theRecord(ctx))?.['description'] ?? '').includes('Outcome: completed') ? true : undefined));
          ctx.record({ service: 'crm-sync', did: 'found/created the account and record, popped it, commented and updated it', link: `${peer(ctx.state, 'crm')}/api/records/${recordId}` });
          ctx.record({ service: 'event-bridge', did: 'took the adapter and platform events, pushed the pop to the agent', link: `${url(ctx.state, 'event-bridge')}/demo/agent-desktop` });
          return 'Outcome: completed';
        },
      },
      {
        name: 'recording and metadata exported (after the delay)',
        limitMs: afterCallMs,
        async run(ctx, signal) {
          const files = await waitFor(signal, 'the export of both files', async () => {
            const view = await ctx.client.expect<{ files: { fileName: string; status: string }[] }>(200, 'storage-export', 'GET', `/sessions/${session}/exports`);
            const exported = view.files.filter((file) => file.status === 'exported');
            return exported.length >= 2 ? exported : undefined;
          });
          media?.server.close();
          const names = files.map((file) => file.fileName).join(', ');
          ctx.record({ service: 'storage-export', did: `exported ${names}`, link: `${ctx.state.peers.exports.location} (${ctx.state.peers.exports.localDirectory})` });
          return names;
        },
      },
      {
        name: 'outcome e-mail sent (after the delay)',
        limitMs: afterCallMs,
        async run(ctx, signal) {
          const mail = await waitFor(signal, 'the e-mail', async () => {
            const { messages } = await getJson<{ messages: { subject?: string; to: string[]; url: string }[] }>(`${ctx.state.peers.mailInbox}/messages`);
            return messages.find((message) => message.subject?.includes(session));
          });
          ctx.record({ service: 'crm-sync (e-mail)', did: `sent "${mail.subject}" to ${mail.to.join(', ')}`, link: mail.url });
          return `to ${mail.to.join(', ')}`;
        },
      },
    ];
  },
};

/** E4: the IVR asks crm-sync about the caller; Dynamics (the Dataverse simulator's sample data) answers. */
const e4: Scenario = {
  id: 'e4',
  title: 'E4 IVR data dip',
  steps() {
    const dip = async (ctx: DemoContext, ani: string, expected: string) => {
      const answer = await ctx.client.expect<{ outcome: string; prompt: string }>(200, 'crm-sync', 'POST', '/crm/dynamics/data-dip', { ani }, [Role.OmnichannelAgent]);
      if (answer.outcome !== expected) throw new Error(`outcome ${answer.outcome} (expected ${expected}): ${answer.prompt}`);
      return answer.prompt;
    };
    return [
      {
        name: 'known caller: greeting with the latest case',
        limitMs: CALL_MS,
        async run(ctx) {
          const prompt = await dip(ctx, '+12125550123', 'case_found');
          ctx.record({ service: 'crm-sync (Dynamics)', did: `answered the IVR: "${prompt.slice(0, 50)}…"`, link: `${peer(ctx.state, 'dataverse')}/_simulator/requests` });
          return `"${prompt.slice(0, 60)}…"`;
        },
      },
      {
        name: 'unknown caller: "no case found", to an agent',
        limitMs: CALL_MS,
        run: async (ctx) => `"${await dip(ctx, '+12125550999', 'customer_not_found')}"`,
      },
    ];
  },
};

export const ALL_SCENARIOS: Scenario[] = [e1, e2, e3, e4];
