import { Global, Module, NotFoundException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthModule, signBody } from '@switchboard/auth';
import { bootstrapService } from '@switchboard/service-kit';
import { exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProactiveDeliveryConfig } from '../config';
import { VoiceRuntimeModule } from './voice-runtime.module';
import { DIAL_OUTCOME_SINK, DialOutcomeReport } from './voice-runtime';

const WEBHOOK_SECRET = 'voice-webhook-secret';
const PATH = '/proactive/voice-runtime/outcomes';
const REFUSAL = 'Missing or invalid voice runtime signature';

/**
 * The webhook inside the real service kit (body parsers keeping raw bodies, error filter) with the
 * real global auth guards, so @Public() is proven too; a recording sink stands in for the outcomes feature.
 */
async function startWebhookApp(env: Record<string, string>, report: (report: DialOutcomeReport) => Promise<void>) {
  @Global()
  @Module({ providers: [{ provide: DIAL_OUTCOME_SINK, useValue: { report } }], exports: [DIAL_OUTCOME_SINK] })
  class RecordingOutcomesModule {}

  @Module({
    imports: [
      RecordingOutcomesModule,
      // Trusts only a key whose private half is thrown away: no token can pass, so only @Public() routes answer.
      AuthModule.forRoot({ verifier: { issuers: ['https://issuer.test/'], audience: 'api://switchboard', publicKeys: [await unusablePublicJwk()] } }),
      VoiceRuntimeModule,
    ],
  })
  class WebhookTestModule {}

  const config = ProactiveDeliveryConfig.load({ env: { PORT: '0', HOST: '127.0.0.1', KAFKA_BROKERS: '127.0.0.1:9', LOG_LEVEL: 'silent', ...env } });
  const app = await bootstrapService({
    name: 'voice-webhook-test',
    module: WebhookTestModule,
    config,
    openApi: { title: 'test', description: 'test', version: '1' },
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    shutdownSignals: [],
    exitProcess: false,
  });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function unusablePublicJwk() {
  const { publicKey } = await generateKeyPair('ES256');
  return exportJWK(publicKey);
}

function post(url: string, rawBody: string, signature?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['X-Switchboard-Signature'] = signature;
  return fetch(`${url}${PATH}`, { method: 'POST', headers, body: rawBody });
}

const postSigned = (url: string, rawBody: string, secret = WEBHOOK_SECRET) => post(url, rawBody, signBody(secret, rawBody));

async function errorOf(response: Response): Promise<{ code: string; message: string; details?: { field: string; message: string }[] }> {
  return ((await response.json()) as { error: { code: string; message: string; details?: { field: string; message: string }[] } }).error;
}

describe('voice runtime outcome webhook POST /proactive/voice-runtime/outcomes (PD4.3)', () => {
  const report = vi.fn(async (_report: DialOutcomeReport) => undefined);
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startWebhookApp({ VOICE_WEBHOOK_SECRET: WEBHOOK_SECRET }, (r) => report(r)));
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    report.mockReset();
    report.mockResolvedValue(undefined);
  });

  it('PD4.3 a correctly signed outcome is handed to the sink once, parsed, and answered 202', async () => {
    const attemptId = randomUUID();
    const body = JSON.stringify({ attemptId, outcome: 'no_answer', providerCallId: 'call-42', occurredAt: '2026-11-21T09:30:00.000Z' });
    const response = await postSigned(url, body);

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, attemptId });
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith({ attemptId, outcome: 'no_answer', providerCallId: 'call-42', occurredAt: new Date('2026-11-21T09:30:00.000Z') });
  });

  it('PD4.3 providerCallId and occurredAt are optional; a +hh:mm offset is accepted', async () => {
    const attemptId = randomUUID();
    expect((await postSigned(url, JSON.stringify({ attemptId, outcome: 'answered' }))).status).toBe(202);
    expect(report).toHaveBeenLastCalledWith({ attemptId, outcome: 'answered' });
    const withOffset = JSON.stringify({ attemptId, outcome: 'busy', occurredAt: '2026-11-21T10:30:00+01:00' });
    expect((await postSigned(url, withOffset)).status).toBe(202);
    expect(report).toHaveBeenLastCalledWith({ attemptId, outcome: 'busy', occurredAt: new Date('2026-11-21T09:30:00.000Z') });
  });

  it.each([
    ['no signature header', (body: string) => post(url, body)],
    ['a garbled header', (body: string) => post(url, body, 'not-a-signature')],
    ['another secret', (body: string) => postSigned(url, body, 'someone-elses-secret')],
    ['a body changed after signing', (body: string) => post(url, body.replace('voicemail', 'answered'), signBody(WEBHOOK_SECRET, body))],
    ['a stale timestamp (10 minutes old)', (body: string) => post(url, body, signBody(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000) - 600))],
  ])('PD4.3 %s → 401 and the sink is not called', async (_case, send) => {
    const response = await send(JSON.stringify({ attemptId: randomUUID(), outcome: 'voicemail' }));
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toBe(REFUSAL);
    expect(report).not.toHaveBeenCalled();
  });

  it('PD4.3 malformed JSON → 400 saying where it breaks; the sink is not called', async () => {
    const broken = `{"attemptId": "${randomUUID()}" "outcome": "busy"}`;
    const response = await postSigned(url, broken);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/position|line|column/i);
    expect(report).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown outcome', { outcome: 'hung_up' }, 'outcome'],
    ['an attemptId that is not a UUID', { attemptId: 'attempt-1' }, 'attemptId'],
    ['an occurredAt that is not ISO 8601', { occurredAt: '21/11/2026 09:30' }, 'occurredAt'],
    ['an empty providerCallId', { providerCallId: '' }, 'providerCallId'],
    ['an unknown field', { status: 'done' }, '(root)'],
    ['no outcome', { outcome: undefined }, 'outcome'],
  ])('PD4.3 a signed body with %s → 400 naming the field; the sink is not called', async (_case, change, field) => {
    const body = JSON.stringify({ attemptId: randomUUID(), outcome: 'busy', ...change });
    const response = await postSigned(url, body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.map((d) => d.field)).toContain(field);
    expect(report).not.toHaveBeenCalled();
  });

  it('PD4.3 an unknown attemptId: the sink’s 404 reaches the caller', async () => {
    report.mockRejectedValueOnce(new NotFoundException('No dial attempt with this attemptId'));
    const response = await postSigned(url, JSON.stringify({ attemptId: randomUUID(), outcome: 'failed' }));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe('No dial attempt with this attemptId');
  });
});

describe('voice runtime outcome webhook without VOICE_WEBHOOK_SECRET (PD4.3)', () => {
  const report = vi.fn(async (_report: DialOutcomeReport) => undefined);
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startWebhookApp({}, report));
  });
  afterAll(() => app?.close());

  it('PD4.3 refuses every report with the same 401 as a bad signature', async () => {
    const body = JSON.stringify({ attemptId: randomUUID(), outcome: 'answered' });
    for (const response of [await postSigned(url, body), await postSigned(url, body, 'any-secret'), await post(url, body)]) {
      expect(response.status).toBe(401);
      expect((await errorOf(response)).message).toBe(REFUSAL);
    }
    expect(report).not.toHaveBeenCalled();
  });
});
