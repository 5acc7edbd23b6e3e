import { GcsSimulator, type ServiceAccountKeyFile } from '@switchboard/testing';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GcsDestinationSettings } from '../destination-settings';
import { DestinationError } from '../storage-destination';
import { GcsDestination } from './gcs-destination';

const hash = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('Google Cloud Storage destination: @google-cloud/storage against the GCS simulator (SE1.2, SE1.3, SE3.3, SE3.5)', () => {
  let gcs: GcsSimulator;
  let key: ServiceAccountKeyFile;

  beforeAll(async () => {
    gcs = await GcsSimulator.start({ buckets: ['exports'] });
    key = gcs.createServiceAccount();
  });
  afterAll(() => gcs?.close());
  beforeEach(() => gcs.clearFaults());

  function destination(overrides: Partial<GcsDestinationSettings> = {}): GcsDestination {
    const settings: GcsDestinationSettings = { backend: 'gcs', bucket: 'exports', clientEmail: key.client_email, privateKey: key.private_key, projectId: key.project_id, folderPath: 'tenant-a', ...overrides };
    return new GcsDestination(settings, { apiEndpoint: gcs.url, tokenUrl: gcs.tokenUri, timeoutMs: 10_000 });
  }
  async function failureOf(promise: Promise<unknown>): Promise<DestinationError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    return error as DestinationError;
  }
  const put = (target: GcsDestination, path: string, bytes: Buffer, size: number | undefined = bytes.length) =>
    target.put({ path, content: Readable.from(chunks(bytes, 64 * 1024)), contentType: 'audio/wav', size });

  it('SE3.3 a small file is one multipart request after a signed token exchange; md5 and crc32c are those of the bytes; stat shows them', async () => {
    const bytes = randomBytes(200 * 1024);
    const target = destination();

    const stored = await put(target, 'ujet-voicemails/call-1.mp3', bytes);

    const object = gcs.object('exports', 'tenant-a/ujet-voicemails/call-1.mp3')!;
    expect(object.bytes.equals(bytes)).toBe(true);
    expect(object.writtenBy).toBe(key.client_email);
    expect(stored).toMatchObject({ path: 'ujet-voicemails/call-1.mp3', size: bytes.length, md5: hash('md5', bytes), sha256: hash('sha256', bytes) });
    expect(stored.crc32c).toMatch(/^[0-9a-f]{8}$/);
    expect(await target.stat('ujet-voicemails/call-1.mp3')).toEqual({ path: 'ujet-voicemails/call-1.mp3', size: bytes.length, md5: hash('md5', bytes), crc32c: stored.crc32c });
    expect(await target.stat('ujet-voicemails/call-2.mp3')).toBeUndefined();
    expect(gcs.requests.some((request) => request.path === '/token' && request.status === 200)).toBe(true);
    expect(gcs.requests.some((request) => request.uploadType === 'multipart' && request.status === 200)).toBe(true);
  });

  it('SE3.3 SE3.5 a 20 MB file of unknown size goes in 8 MiB resumable chunks (Content-Range) and is verified', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 7);
    const stored = await put(destination(), 'ujet-voice-recordings/call-2.wav', bytes, undefined);

    expect(stored.md5).toBe(hash('md5', bytes));
    expect(gcs.object('exports', 'tenant-a/ujet-voice-recordings/call-2.wav')?.bytes.equals(bytes)).toBe(true);
    const chunkRequests = gcs.requests.filter((request) => request.method === 'PUT' && request.query['upload_id'] && request.bodyBytes > 0);
    expect(chunkRequests.length).toBeGreaterThanOrEqual(3);
    expect(chunkRequests.every((request) => /^bytes \d+-\d+\/(\d+|\*)$/.test(String(request.headers['content-range'])))).toBe(true);
  }, 60_000);

  it('SE3.3 a chunk the server did not keep (308 with a shorter Range) is resent; the object is whole', async () => {
    const bytes = randomBytes(18 * 1024 * 1024);
    gcs.dropChunk({ mode: 'partial', skip: 1 });
    await put(destination(), 'ujet-voice-recordings/call-3.wav', bytes);

    expect(gcs.object('exports', 'tenant-a/ujet-voice-recordings/call-3.wav')?.bytes.equals(bytes)).toBe(true);
  }, 60_000);

  it('SE3.3 a connection dropped mid-chunk is resumed from the persisted offset; the object is whole', async () => {
    const bytes = randomBytes(18 * 1024 * 1024);
    gcs.dropChunk({ mode: 'reset' });
    await put(destination(), 'ujet-voice-recordings/call-4.wav', bytes);

    expect(gcs.object('exports', 'tenant-a/ujet-voice-recordings/call-4.wav')?.bytes.equals(bytes)).toBe(true);
  }, 60_000);

  it('SE3.3 a 503 on a resumable chunk is retried by the client with back-off; the object is whole', async () => {
    const bytes = randomBytes(9 * 1024 * 1024);
    // The session is opened and its status queried; its first chunk is answered 503.
    gcs.failNext({ status: 503, on: 'upload', skip: 2 });
    await put(destination(), 'ujet-voice-recordings/call-5.wav', bytes);

    expect(gcs.object('exports', 'tenant-a/ujet-voice-recordings/call-5.wav')?.bytes.equals(bytes)).toBe(true);
    expect(gcs.requests.filter((request) => request.path.startsWith('/upload/') && request.status === 503)).toHaveLength(1);
  }, 30_000);

  it('SE3.3 a 503 on a single-request upload fails the put as retryable (the job retries it); the next put stores it', async () => {
    const bytes = randomBytes(1024);
    const target = destination();
    gcs.failNext({ status: 503, on: 'upload' });
    const failure = await failureOf(put(target, 'ujet-chat-transcripts/chat-5.txt', bytes));
    expect(failure.retryable).toBe(true);
    expect(gcs.object('exports', 'tenant-a/ujet-chat-transcripts/chat-5.txt')).toBeUndefined();

    await put(target, 'ujet-chat-transcripts/chat-5.txt', bytes);
    expect(gcs.object('exports', 'tenant-a/ujet-chat-transcripts/chat-5.txt')?.bytes.equals(bytes)).toBe(true);
  }, 30_000);

  it.each(['multipart', 'resumable'] as const)('SE3.3 a byte corrupted at rest (%s) is detected (CRC32C/MD5), the object removed, and a retry redoes it whole', async (kind) => {
    const bytes = randomBytes(kind === 'multipart' ? 100 * 1024 : 9 * 1024 * 1024);
    const target = destination();
    gcs.corruptNext('at-rest');

    const failure = await failureOf(put(target, `ujet-media/call-6-photo-${kind}.jpg`, bytes));
    expect(failure.kind).toBe('checksum_mismatch');
    expect(failure.retryable).toBe(true);
    expect(gcs.object('exports', `tenant-a/ujet-media/call-6-photo-${kind}.jpg`)).toBeUndefined();

    await put(target, `ujet-media/call-6-photo-${kind}.jpg`, bytes);
    expect(gcs.object('exports', `tenant-a/ujet-media/call-6-photo-${kind}.jpg`)?.bytes.equals(bytes)).toBe(true);
  }, 60_000);

  it('SE3.3 a byte corrupted in transit is refused by the server against the X-Goog-Hash the client sent: checksum_mismatch, nothing stored', async () => {
    const bytes = randomBytes(9 * 1024 * 1024);
    gcs.corruptNext('in-transit');
    const failure = await failureOf(put(destination(), 'ujet-media/call-7-video-1.mp4', bytes));

    expect(failure.kind).toBe('checksum_mismatch');
    expect(gcs.object('exports', 'tenant-a/ujet-media/call-7-video-1.mp4')).toBeUndefined();
  }, 60_000);

  it('SE3.3 a known checksum that differs from the bytes fails the put', async () => {
    const bytes = randomBytes(1000);
    const failure = await failureOf(destination().put({ path: 'ujet-metadata/call-8.json', content: Readable.from([bytes]), contentType: 'application/json', checksums: { sha256: hash('sha256', Buffer.from('other')) } }));
    expect(failure.kind).toBe('checksum_mismatch');
  });

  it('SE1.3 probe writes and removes a probe object', async () => {
    const before = gcs.objectNames('exports').length;
    await destination().probe();
    expect(gcs.objectNames('exports')).toHaveLength(before);
    expect(gcs.requests.some((request) => request.method === 'DELETE' && request.path.includes('.switchboard-probe-') && request.status === 204)).toBe(true);
  });

  it.each([
    ['a missing bucket', 'bucket_missing', () => ({ bucket: 'no-such-bucket' })],
    ['a key the account does not have (signature refused)', 'auth_refused', () => ({ privateKey: otherKey() })],
    ['an unknown service account', 'auth_refused', () => ({ clientEmail: 'ghost@switchboard-local.iam.gserviceaccount.com' })],
    ['a private key that is no key', 'auth_refused', () => ({ privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' })],
    ['a bucket the account may not write', 'permission_denied', () => ({ bucket: 'locked' })],
  ] as const)('SE1.3 %s → %s', async (_case, kind, overrides) => {
    gcs.createBucket('locked', ['someone-else@switchboard-local.iam.gserviceaccount.com']);
    expect((await failureOf(destination(overrides()).probe())).kind).toBe(kind);
  });

  it('SE1.3 an endpoint nobody listens on → host_unreachable', async () => {
    const target = new GcsDestination({ backend: 'gcs', bucket: 'exports', clientEmail: key.client_email, privateKey: key.private_key, folderPath: '' }, { apiEndpoint: 'http://127.0.0.1:1', tokenUrl: 'http://127.0.0.1:1/token', timeoutMs: 5_000 });
    const failure = await failureOf(target.probe());
    expect(failure.kind).toBe('host_unreachable');
  }, 60_000);

  it('SE2.2 paths that leave the folder are invalid_path; SE3.4 urlOf names the object', async () => {
    expect((await failureOf(destination().put({ path: '../x.txt', content: Readable.from([Buffer.from('x')]), contentType: 'text/plain' }))).kind).toBe('invalid_path');
    expect(destination().urlOf('ujet-media/call-1-photo-2.jpg')).toBe(`${gcs.url}/storage/v1/b/exports/o/tenant-a%2Fujet-media%2Fcall-1-photo-2.jpg?alt=media`);
    const google = new GcsDestination({ backend: 'gcs', bucket: 'exports', clientEmail: key.client_email, privateKey: key.private_key, folderPath: 'a b' }, { apiEndpoint: 'https://storage.googleapis.com', tokenUrl: 'https://oauth2.googleapis.com/token', timeoutMs: 5_000 });
    expect(google.urlOf('x.txt')).toBe('https://storage.cloud.google.com/exports/a%20b/x.txt');
  });
});

function otherKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
