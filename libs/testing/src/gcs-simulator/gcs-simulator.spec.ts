import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceAccountKeyFile } from './gcs-oauth';
import { GcsSimulator } from './gcs-simulator';
import { crc32c, crc32cBase64, md5Base64 } from './gcs-wire';

const SCOPE = 'https://www.googleapis.com/auth/devstorage.full_control';

/** A JWT bearer assertion signed here with node:crypto, independently of any Google client. */
function assertion(key: ServiceAccountKeyFile, claims: Record<string, unknown> = {}, signingKey = key.private_key): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })}.${encode({ iss: key.client_email, scope: SCOPE, aud: key.token_uri, iat: now, exp: now + 3600, ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(signingKey).toString('base64url')}`;
}

describe('GCS simulator: the Cloud Storage JSON API and the service-account token exchange as Google documents them (SE1.2, SE3.3)', () => {
  let gcs: GcsSimulator;
  let key: ServiceAccountKeyFile;
  let token: string;
  const exchange = (jwt: string) =>
    fetch(`${gcs.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }).toString() });
  const api = (path: string, init: RequestInit = {}) => fetch(`${gcs.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    gcs = await GcsSimulator.start({ buckets: ['exports'] });
    key = gcs.createServiceAccount();
    const answer = (await (await exchange(assertion(key))).json()) as { access_token: string; token_type: string; expires_in: number };
    expect(answer.token_type).toBe('Bearer');
    expect(answer.expires_in).toBeGreaterThan(3000);
    token = answer.access_token;
  });
  afterAll(() => gcs?.close());

  it('CRC32C is Castagnoli: the check value of "123456789" is 0xE3069283, as RFC 3720 gives it', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cBase64(Buffer.from('123456789'))).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
  });

  it.each([
    ['a signature by another key', 'invalid_grant', () => assertion(key, {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), 'Invalid JWT Signature.'],
    ['an unknown account', 'invalid_grant', () => assertion(key, { iss: 'someone@else.iam.gserviceaccount.com' }), 'Invalid grant: account not found'],
    ['an expired assertion', 'invalid_grant', () => assertion(key, { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), expect.stringContaining('short-lived')],
    ['another audience', 'invalid_grant', () => assertion(key, { aud: 'https://example.com/token' }), expect.stringContaining('audience')],
    ['no storage scope', 'invalid_scope', () => assertion(key, { scope: 'https://www.googleapis.com/auth/gmail.send' }), expect.any(String)],
    ['no JWT at all', 'invalid_grant', () => 'not-a-jwt', expect.any(String)],
  ])('SE1.3 the token endpoint refuses %s with 400 %s', async (_case, error, jwt, description) => {
    const response = await exchange(jwt());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error, error_description: description });
  });

  it('SE1.3 API calls without a valid bearer token are 401 authError; a bucket not granted to the account is 403; a missing one 404', async () => {
    const anonymous = await fetch(`${gcs.url}/storage/v1/b/exports/o`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError', domain: 'global' }] } });
    gcs.createBucket('private', ['other@switchboard-local.iam.gserviceaccount.com']);
    expect((await api('/storage/v1/b/private/o')).status).toBe(403);
    const missing = await api('/storage/v1/b/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('The specified bucket does not exist.');
  });

  it('SE3.3 a resumable session takes Content-Range chunks (308 + Range until whole), answers status queries, and checks the final X-Goog-Hash', async () => {
    const bytes = Buffer.from('a'.repeat(300) + 'b'.repeat(200));
    const start = await api('/upload/storage/v1/b/exports/o?uploadType=resumable&name=dir%2Fcall-1.wav', { method: 'POST', headers: { 'content-type': 'application/json', 'x-upload-content-type': 'audio/wav' }, body: '{}' });
    expect(start.status).toBe(200);
    const session = start.headers.get('location')!;
    expect(session).toContain('upload_id=');

    const first = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 0-299/*' }, body: bytes.subarray(0, 300) });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-299');
    const query = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect([query.status, query.headers.get('range')]).toEqual([308, 'bytes=0-299']);
    const gap = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 400-499/500' }, body: bytes.subarray(400) });
    expect(gap.status).toBe(400);
    const wrongHash = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 300-499/500', 'x-goog-hash': `crc32c=${crc32cBase64(Buffer.from('x'))}` }, body: bytes.subarray(300) });
    expect(wrongHash.status).toBe(400);
    expect(gcs.object('exports', 'dir/call-1.wav')).toBeUndefined();
  });

  it('SE3.3 a resumable upload finishes with the object resource: size, md5Hash and crc32c of the bytes', async () => {
    const bytes = Buffer.from('x'.repeat(1000));
    const start = await api('/upload/storage/v1/b/exports/o?uploadType=resumable&name=call-2.wav', { method: 'POST', headers: { 'x-upload-content-length': '1000' } });
    const session = start.headers.get('location')!;
    expect((await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 0-599/1000' }, body: bytes.subarray(0, 600) })).status).toBe(308);
    const done = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 600-999/1000', 'x-goog-hash': `crc32c=${crc32cBase64(bytes)},md5=${md5Base64(bytes)}` }, body: bytes.subarray(600) });

    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ kind: 'storage#object', name: 'call-2.wav', bucket: 'exports', size: '1000', md5Hash: createHash('md5').update(bytes).digest('base64'), crc32c: crc32cBase64(bytes) });
    expect(gcs.openSessions()).toBe(1);
  });

  it('SE3.3 a dropped chunk (partial) is answered with the shorter Range the client must resend from', async () => {
    const start = await api('/upload/storage/v1/b/exports/o?uploadType=resumable&name=call-3.wav', { method: 'POST' });
    const session = start.headers.get('location')!;
    gcs.dropChunk({ mode: 'partial' });
    const lost = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 0-99/200' }, body: Buffer.alloc(100, 1) });
    expect([lost.status, lost.headers.get('range')]).toEqual([308, 'bytes=0-49']);
    const resent = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 50-199/200' }, body: Buffer.alloc(150, 1) });
    expect(resent.status).toBe(200);
    expect(gcs.object('exports', 'call-3.wav')?.bytes).toEqual(Buffer.alloc(200, 1));
  });

  it('multipart and media uploads, metadata, download, list with prefix/delimiter, delete', async () => {
    const boundary = 'sim-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ name: 'ujet-metadata/call-4.json', contentType: 'application/json' })}\r\n--${boundary}\r\nContent-Type: application/json\r\n\r\n`),
      Buffer.from('{"id":4}'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect((await api('/upload/storage/v1/b/exports/o?uploadType=multipart', { method: 'POST', headers: { 'content-type': `multipart/related; boundary=${boundary}` }, body })).status).toBe(200);
    expect((await api('/upload/storage/v1/b/exports/o?uploadType=media&name=ujet-media%2Fa.jpg', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: 'jpeg' })).status).toBe(200);

    const metadata = (await (await api('/storage/v1/b/exports/o/ujet-metadata%2Fcall-4.json')).json()) as Record<string, string>;
    expect(metadata).toMatchObject({ size: '8', contentType: 'application/json', md5Hash: md5Base64(Buffer.from('{"id":4}')) });
    expect(await (await api('/storage/v1/b/exports/o/ujet-metadata%2Fcall-4.json?alt=media')).text()).toBe('{"id":4}');
    const listed = (await (await api('/storage/v1/b/exports/o?prefix=ujet-&delimiter=%2F')).json()) as { prefixes: string[]; items: unknown[] };
    expect(listed.prefixes.sort()).toEqual(['ujet-media/', 'ujet-metadata/']);
    expect((await api('/storage/v1/b/exports/o/ujet-media%2Fa.jpg', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/storage/v1/b/exports/o/ujet-media%2Fa.jpg')).status).toBe(404);
  });

  it('failures on demand: the Nth request of a kind answers 503 backendError', async () => {
    gcs.failNext({ status: 503, skip: 1, on: 'object' });
    expect((await api('/storage/v1/b/exports/o')).status).toBe(200);
    const failed = await api('/storage/v1/b/exports/o');
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: 503, errors: [{ reason: 'backendError' }] } });
    expect((await api('/storage/v1/b/exports/o')).status).toBe(200);
  });
});
