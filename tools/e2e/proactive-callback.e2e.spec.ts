import { Role, signBody, verifySignature } from '@switchboard/auth';
import { Topics } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daytimeNumber } from './support/daytime-number';
import { eventually, startTestStack, TestStack } from './support/test-stack';

const TENANT = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CREATE = '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery';
const SIGNING_SECRET = 'voice-runtime-signing-secret-0123456789';
const WEBHOOK_SECRET = 'voice-runtime-webhook-secret-0123456789';
const allDay = [{ start: '00:00', end: '24:00' }];

/**
 * E1 Callback, across processes: a web site posts CCaaS_CreateProactiveVoiceDelivery; the service
 * schedules it, dials inside the window through a voice runtime, records the outcome and publishes
 * every step on proactive.delivery.v1 (Kafka).
 */
describe('E1 callback: create → dial in the window → outcome → events (PD1, PD4, PD4.6)', () => {
  let stack: TestStack;
  let runtime: Server;
  const dialsReceived: { attemptId: string; deliveryId: string; dialingMode: string; idempotencyKey: string }[] = [];
  const events = new Map<string, string[]>();
  const seen = new Set<string>();
  let consumer: ReturnType<Kafka['consumer']>;

  /** A signed-HTTP voice runtime: verifies each dial request, answers, then reports "answered" by webhook. */
  async function startVoiceRuntime(): Promise<string> {
    runtime = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const check = verifySignature({ secret: SIGNING_SECRET, rawBody: raw, header: req.headers['x-switchboard-signature'] });
        if (!check.valid) {
          res.writeHead(401).end();
          return;
        }
        const dial = JSON.parse(raw.toString()) as { attemptId: string; deliveryId: string; dialingMode: string };
        dialsReceived.push({ ...dial, idempotencyKey: String(req.headers['idempotency-key']) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ callId: `call-${dial.attemptId}` }));
        const outcome = JSON.stringify({ attemptId: dial.attemptId, outcome: 'answered', providerCallId: `call-${dial.attemptId}` });
        setTimeout(() => {
          void fetch(`${stack.url('proactive-delivery')}/proactive/voice-runtime/outcomes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-switchboard-signature': signBody(WEBHOOK_SECRET, outcome) },
            body: outcome,
          });
        }, 100);
      });
    });
    await new Promise<void>((resolve) => runtime.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(runtime.address() as AddressInfo).port}/dial`;
  }

  beforeAll(async () => {
    const runtimeUrl = await startVoiceRuntime();
    stack = await startTestStack(['proactive-delivery'], {
      DISPATCH_POLL_MS: '200',
      VOICE_SIMULATOR_OUTCOME_DELAY_MS: '200',
      VOICE_HTTP_URL: runtimeUrl,
      VOICE_HTTP_SIGNING_SECRET: SIGNING_SECRET,
      VOICE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    const kafka = new Kafka({ clientId: 'e2e-pd', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `e2e-pd-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.proactiveDelivery, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(String(message.value)) as { id: string; type: string; subject: string; tenantid: string };
        // The outbox delivers at least once (a crash between send and mark re-sends): consumers dedupe by id.
        if (event.tenantid !== TENANT || seen.has(event.id)) return;
        seen.add(event.id);
        events.set(event.subject, [...(events.get(event.subject) ?? []), event.type.replace('switchboard.proactive.', '')]);
      },
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await stack?.stop();
    runtime?.close();
  });

  async function call(path: string, roles: Role[], body?: unknown) {
    return fetch(`${stack.url('proactive-delivery')}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${await stack.token(TENANT, roles)}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async function configuration(providerName: string, dialingMode = 'customer_first'): Promise<string> {
    const response = await call('/proactive/configurations', [Role.Administrator], {
      name: `e2e ${providerName}`,
      dialingMode,
      workflowId: 'callback-bot',
      outboundProfile: { callerIdNumber: '+12125550100', providerName },
      maxAttempts: 2,
      retryIntervalsSeconds: { busy: 60, no_answer: 60, voicemail: 60, failed: 60 },
      timeZone: 'UTC',
      contactHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      blackoutDates: [],
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function createDelivery(configId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await call(CREATE, [Role.OmnichannelSupervisor], {
      ApiVersion: '1.0',
      ProactiveEngagementConfigId: configId,
      DestinationPhoneNumber: daytimeNumber(),
      ContactId: randomUUID(),
      InputAttributes: { type: 'callback' },
      ...extra,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { DeliveryId: string }).DeliveryId;
  }

  const statusOf = async (id: string) => ((await (await call(`/proactive/deliveries/${id}`, [Role.OmnichannelAgent])).json()) as { Status: string; Attempts: number }).Status;
  const completed = (id: string) => eventually(async () => ((await statusOf(id)) === 'Completed' ? true : undefined), `delivery ${id} completed`, 60_000);
  const eventsOf = (id: string, count: number) => eventually(async () => ((events.get(id)?.length ?? 0) >= count ? events.get(id) : undefined), `${count} events of ${id}`, 60_000);

  it('dials at once through the simulator and publishes Requested, Scheduled, Attempted, Completed', async () => {
    const id = await createDelivery(await configuration('simulator'));
    await completed(id);
    expect(await eventsOf(id, 4)).toEqual(['DeliveryRequested', 'DeliveryScheduled', 'DeliveryAttempted', 'DeliveryCompleted']);
  });

  it('dials through the signed-HTTP voice runtime, with the outcome reported back by signed webhook (PD4.3)', async () => {
    const id = await createDelivery(await configuration('http', 'agent_first'));
    await completed(id);
    const dial = dialsReceived.find((d) => d.deliveryId === id);
    expect(dial).toMatchObject({ dialingMode: 'agent_first' });
    expect(dial?.idempotencyKey).toBe(dial?.attemptId);
    const view = (await (await call(`/proactive/deliveries/${id}`, [Role.OmnichannelAgent])).json()) as { AttemptsLog: { outcome: string; providerCallId: string }[] };
    expect(view.AttemptsLog).toEqual([expect.objectContaining({ outcome: 'answered', providerCallId: `call-${dial?.attemptId}` })]);
    expect(await eventsOf(id, 4)).toEqual(['DeliveryRequested', 'DeliveryScheduled', 'DeliveryAttempted', 'DeliveryCompleted']);
  });

  it('keeps a scheduled delivery across a crash of the service and dials it when its window opens (P3.4)', async () => {
    const configId = await configuration('simulator');
    const start = new Date(Date.now() + 6_000);
    const end = new Date(start.getTime() + 3_600_000);
    const id = await createDelivery(configId, { Windows: [{ Start: start.toISOString(), End: end.toISOString() }] });
    expect(await statusOf(id)).toBe('Scheduled');
    await stack.services.get('proactive-delivery')?.kill();
    await stack.start('proactive-delivery');
    await completed(id);
    expect(await eventsOf(id, 4)).toEqual(['DeliveryRequested', 'DeliveryScheduled', 'DeliveryAttempted', 'DeliveryCompleted']);
  }, 90_000);
});
