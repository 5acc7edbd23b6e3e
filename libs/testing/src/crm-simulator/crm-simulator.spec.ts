import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyKeys } from './crm-idempotency';
import { CrmSimulator } from './crm-simulator';

const BASIC = `Basic ${Buffer.from('crm-user:crm-password').toString('base64')}`;

describe('reference CRM simulator (the CS1–CS2 test peer)', () => {
  let sim: CrmSimulator;
  const call = (path: string, init: RequestInit = {}, authorization = BASIC) =>
    fetch(`${sim.url}/api${path}`, { ...init, headers: { authorization, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });
  const data = async <T = Record<string, unknown>>(response: Response) => ((await response.json()) as { data: T }).data;

  beforeAll(async () => {
    sim = await CrmSimulator.start({ auth: { type: 'basic', username: 'crm-user', password: 'crm-password' }, accounts: [{ id: 'acc_1', name: 'Kim Lee', phone: '+1 222 333 4444', email: 'Kim@agents.co' }] });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.auth = { type: 'basic', username: 'crm-user', password: 'crm-password' };
    sim.clearFaults();
  });

  it('CS2.3 finds accounts by id (404 when unknown), by field with * wildcards (CS1.2 search form), and by Zoho criteria (CS3.2)', async () => {
    expect(await data(await call('/accounts/acc_1'))).toMatchObject({ id: 'acc_1', name: 'Kim Lee' });
    expect((await call('/accounts/acc_404')).status).toBe(404);
    expect(await data(await call(`/accounts?phone=${encodeURIComponent('*222*333*4444')}`))).toEqual([expect.objectContaining({ id: 'acc_1' })]);
    expect(await data(await call('/accounts?email=kim@agents.co'))).toHaveLength(1);
    expect(await data(await call('/accounts?email=nobody@agents.co'))).toEqual([]);
    const criteria = encodeURIComponent('(Id:equals:acc_9) or (Email:equals:kim@agents.co)');
    expect(await data(await call(`/accounts?criteria=${criteria}`))).toHaveLength(1);
    expect(await data(await call(`/accounts?criteria=${encodeURIComponent('(Id:equals:acc_9) and (Email:equals:kim@agents.co)')}`))).toHaveLength(0);
    expect((await call('/accounts?criteria=Email=x')).status).toBe(400);
  });

  it('CS2.1 creates accounts and records from properties, map-container and array-container bodies; records need an existing account', async () => {
    const account = await data<{ id: string }>(await post('/accounts', { name: 'Ana Ruiz', phone: '+12125550123' }));
    const inMap = await data<{ id: string }>(await post('/records', { ticket: { accountId: account.id, subject: 'Map' } }));
    const inArray = await data<{ id: string }>(await post('/records', { data: [{ accountId: account.id, subject: 'Array' }] }));

    expect(sim.store.accounts.get(account.id)).toMatchObject({ name: 'Ana Ruiz' });
    expect(sim.store.records.get(inMap.id)).toMatchObject({ subject: 'Map', accountId: account.id, status: 'open' });
    expect(sim.store.records.get(inArray.id)).toMatchObject({ subject: 'Array' });
    expect((await post('/records', { subject: 'orphan' })).status).toBe(400);
    expect(await data(await call(`/records?accountId=${account.id}&status=open`))).toHaveLength(2);

    const updated = await data(await call(`/records/${inMap.id}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Updated', id: 'forged', accountId: 'forged' }) }));
    expect(updated).toMatchObject({ id: inMap.id, subject: 'Updated', accountId: account.id });
    expect((await call('/records/rec_404', { method: 'PUT', body: '{}' })).status).toBe(404);
  });

  it('CS2.6 CS2.7 takes comments and attachments (base64 JSON and multipart) and serves the attachment back', async () => {
    const account = await data<{ id: string }>(await post('/accounts', { name: 'Jo' }));
    const record = await data<{ id: string }>(await post('/records', { accountId: account.id }));

    expect((await post(`/records/${record.id}/comments`, { comment: '<p>Call ended</p>' })).status).toBe(201);
    expect(sim.store.comments.at(-1)).toMatchObject({ recordId: record.id, fields: { comment: '<p>Call ended</p>' } });

    const base64 = await data<{ id: string; url: string }>(await post(`/records/${record.id}/attachments`, { file: Buffer.from('transcript').toString('base64'), name: 'chat.txt', contentType: 'text/plain' }));
    expect(base64.url).toBe(`${sim.url}/api/records/${record.id}/attachments/${base64.id}`);
    expect(await (await fetch(base64.url, { headers: { authorization: BASIC } })).text()).toBe('transcript');

    const form = new FormData();
    form.set('file', new Blob([Buffer.from([0, 1, 2, 255])], { type: 'audio/wav' }), 'recording.wav');
    const multipart = await fetch(`${sim.url}/api/records/${record.id}/attachments`, { method: 'POST', body: form, headers: { authorization: BASIC } });
    const stored = sim.store.attachments.get((await data<{ id: string }>(multipart)).id);
    expect(stored).toMatchObject({ name: 'recording.wav', contentType: 'audio/wav', data: Buffer.from([0, 1, 2, 255]) });
    expect((await post(`/records/${record.id}/attachments`, { file: 'not base64!' })).status).toBe(400);
  });

  it('CS1.1 authenticates with basic, custom headers or bearer, and answers 401 otherwise', async () => {
    expect((await call('/accounts/acc_1', {}, 'Basic d3Jvbmc6d3Jvbmc=')).status).toBe(401);
    sim.auth = { type: 'headers', headers: { 'X-Api-Key': 'k-123', 'X-Org': 'acme' } };
    expect((await call('/accounts/acc_1', { headers: { 'x-api-key': 'k-123', 'x-org': 'acme' } })).status).toBe(200);
    expect((await call('/accounts/acc_1', { headers: { 'x-api-key': 'k-123' } })).status).toBe(401);
    sim.auth = { type: 'bearer', token: 'tok' };
    expect((await call('/accounts/acc_1', {}, 'Bearer tok')).status).toBe(200);
    expect((await call('/accounts/acc_1', {}, 'Bearer other')).status).toBe(401);
  });

  it('CS2.8 fails on demand (status, Retry-After, matching method and path, a number of times) and records every request', async () => {
    sim.fail({ method: 'POST', pathPrefix: '/api/accounts', status: 400, times: 2 });
    sim.fail({ pathPrefix: '/api/records', status: 429, retryAfterSeconds: 3 });
    const before = sim.requests.length;

    expect((await post('/accounts', { name: 'x' })).status).toBe(400);
    expect((await post('/accounts', { name: 'x' })).status).toBe(400);
    expect((await post('/accounts', { name: 'x' })).status).toBe(201);
    const throttled = await call('/records');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect((await call('/accounts/acc_1')).status).toBe(200);

    expect(sim.requests.slice(before).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'POST /api/accounts 400',
      'POST /api/accounts 400',
      'POST /api/accounts 201',
      'GET /api/records 429',
      'GET /api/accounts/acc_1 200',
    ]);
    expect(sim.requests.at(-3)?.body).toBe('{"name":"x"}');
  });

  it('CS2.8 faults and recorded requests are also controlled over HTTP (for other processes)', async () => {
    expect((await fetch(`${sim.url}/_simulator/faults`, { method: 'POST', body: JSON.stringify({ status: 503 }) })).status).toBe(204);
    expect((await call('/accounts/acc_1')).status).toBe(503);
    const recorded = (await (await fetch(`${sim.url}/_simulator/requests`)).json()) as { requests: unknown[] };
    expect(recorded.requests.length).toBe(sim.requests.length);
  });
  it('honours Idempotency-Key: the same request again gets the first answer and changes nothing; another request with the key is 422', async () => {
    const account = await data<{ id: string }>(await post('/accounts', { name: 'Idem' }));
    const record = await data<{ id: string }>(await post('/records', { accountId: account.id }));
    const comment = (body: unknown, key: string) => call(`/records/${record.id}/comments`, { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': key } });
    const commentsOfRecord = () => sim.store.comments.filter((stored) => stored.recordId === record.id);

    const first = await comment({ body: 'Call ended' }, 'key-1');
    const again = await comment({ body: 'Call ended' }, 'key-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await data(again)).toEqual(await data(first));
    expect(commentsOfRecord()).toHaveLength(1);
    const reused = await comment({ body: 'Something else' }, 'key-1');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another key, or none, is another comment.
    expect((await comment({ body: 'Call ended' }, 'key-2')).status).toBe(201);
    expect((await post(`/records/${record.id}/comments`, { body: 'Call ended' })).status).toBe(201);
    expect(commentsOfRecord()).toHaveLength(3);

    // An answer that changed nothing is not kept: the key is used afresh once the cause is gone.
    sim.fail({ method: 'PATCH', status: 503 });
    const patch = () => call(`/records/${record.id}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Closed' }), headers: { 'idempotency-key': 'key-3' } });
    expect((await patch()).status).toBe(503);
    expect((await patch()).status).toBe(200);
    expect(sim.store.records.get(record.id)?.['subject']).toBe('Closed');
  });

  it('compares a multipart upload by its parts, not its boundary, and says 409 while the first request with a key is still handled', async () => {
    const account = await data<{ id: string }>(await post('/accounts', { name: 'Form' }));
    const record = await data<{ id: string }>(await post('/records', { accountId: account.id }));
    const upload = (bytes: number[]) => {
      const form = new FormData();
      form.set('file', new Blob([Buffer.from(bytes)], { type: 'audio/wav' }), 'recording.wav');
      return fetch(`${sim.url}/api/records/${record.id}/attachments`, { method: 'POST', body: form, headers: { authorization: BASIC, 'idempotency-key': 'upload-1' } });
    };
    const first = await data<{ id: string }>(await upload([1, 2, 3]));
    expect(await data<{ id: string }>(await upload([1, 2, 3]))).toEqual(first);
    expect([...sim.store.attachments.values()].filter((attachment) => attachment.recordId === record.id)).toHaveLength(1);
    expect((await upload([1, 2, 4])).status).toBe(422);

    const keys = new IdempotencyKeys();
    expect(keys.begin('k', 'a')).toEqual({ kind: 'first' });
    expect(keys.begin('k', 'a')).toEqual({ kind: 'in_progress' });
    keys.complete('k', { status: 201, payload: { id: 1 } });
    expect(keys.begin('k', 'a')).toEqual({ kind: 'replay', answer: { status: 201, payload: { id: 1 } } });
    expect(keys.replays).toBe(1);
  });
});
