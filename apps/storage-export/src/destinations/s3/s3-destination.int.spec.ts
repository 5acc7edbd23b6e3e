import { OutboundAddressPolicy } from '@switchboard/outbound-http';
import { type S3Server, startS3Server } from '@switchboard/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3DestinationSettings } from '../destination-settings';
import { DestinationError } from '../storage-destination';
import { S3Destination } from './s3-destination';
import { S3EtagStream } from './s3-etag';

const LOOPBACK_ALLOWED = OutboundAddressPolicy.fromEntries(['127.0.0.1/32']);
const hash = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');

describe('S3-compatible destination against s3rver with the AWS SDK (SE1.2, SE1.3, SE3.3, SE3.5)', () => {
  let server: S3Server;
  const opened: S3Destination[] = [];

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['exports'] });
  });
  afterAll(async () => {
    await Promise.all(opened.map((destination) => destination.close()));
    await server?.stop();
  });

  function destination(overrides: Partial<S3DestinationSettings> = {}, policy = LOOPBACK_ALLOWED): S3Destination {
    const settings: S3DestinationSettings = { backend: 's3', endpoint: server.endpoint, region: server.region, bucket: 'exports', accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, forcePathStyle: true, folderPath: 'tenant-a', ...overrides };
    const created = new S3Destination(settings, { policy, timeoutMs: 10_000 });
    opened.push(created);
    return created;
  }
  async function failureOf(promise: Promise<unknown>): Promise<DestinationError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    return error as DestinationError;
  }

  it('SE3.3 a small file is one verified PUT: the ETag equals the MD5 of the bytes streamed; stat shows it', async () => {
    const bytes = randomBytes(300 * 1024);
    const target = destination();

    const stored = await target.put({ path: 'ujet-voicemails/call-1.mp3', content: Readable.from([bytes]), contentType: 'audio/mpeg' });

    expect(stored).toEqual({ path: 'ujet-voicemails/call-1.mp3', size: bytes.length, sha256: hash('sha256', bytes), md5: hash('md5', bytes) });
    expect(await target.stat('ujet-voicemails/call-1.mp3')).toEqual({ path: 'ujet-voicemails/call-1.mp3', size: bytes.length, md5: hash('md5', bytes) });
    expect(await target.stat('ujet-voicemails/call-2.mp3')).toBeUndefined();
  });

  it('SE3.3 SE3.5 a 20 MB file is a streamed multipart upload whose ETag is verified', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 5);
    const stored = await destination().put({ path: 'ujet-voice-recordings/call-2.wav', content: Readable.from(chunks(bytes, 256 * 1024)), contentType: 'audio/wav', size: bytes.length });

    expect(stored.sha256).toBe(hash('sha256', bytes));
    expect((await destination().stat('ujet-voice-recordings/call-2.wav'))?.size).toBe(bytes.length);
  }, 60_000);

  it('SE3.3 the multipart ETag is the MD5 of the part MD5s and the part count', async () => {
    const bytes = randomBytes(10);
    const etag = new S3EtagStream(4);
    await new Promise((resolve) => Readable.from([bytes]).pipe(etag).on('finish', resolve).resume());
    const parts = [bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)].map((part) => createHash('md5').update(part).digest());

    expect(etag.expectedEtag()).toBe(`${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-3`);
  });

  it('SE1.3 probe writes and removes a probe object', async () => {
    await destination().probe();
    expect(await destination({ folderPath: '' }).stat('tenant-a')).toBeUndefined();
  });

  it.each([
    ['a missing bucket', { bucket: 'no-such-bucket' }, 'bucket_missing'],
    ['an unknown access key', { accessKeyId: 'NOT-A-KEY' }, 'auth_refused'],
    ['a wrong secret key', { secretAccessKey: 'wrong-secret' }, 'auth_refused'],
    ['an endpoint nobody listens on', { endpoint: 'http://127.0.0.1:1' }, 'host_unreachable'],
  ] as const)('SE1.3 %s → %s', async (_case, overrides, kind) => {
    expect((await failureOf(destination(overrides).probe())).kind).toBe(kind);
  });

  it('SE1.3 a put into a missing bucket is bucket_missing, not a hang', async () => {
    const failure = await failureOf(destination({ bucket: 'no-such-bucket' }).put({ path: 'ujet-metadata/call-3.json', content: Readable.from([Buffer.from('{}')]), contentType: 'application/json' }));
    expect(failure.kind).toBe('bucket_missing');
  });

  it('P2.5 an endpoint on a refused address is address_refused, by literal and by name', async () => {
    expect((await failureOf(destination({}, OutboundAddressPolicy.fromEntries([])).probe())).kind).toBe('address_refused');
    const port = new URL(server.endpoint).port;
    expect((await failureOf(destination({ endpoint: `http://localhost:${port}` }, OutboundAddressPolicy.fromEntries([])).probe())).kind).toBe('address_refused');
  });

  it('SE3.4 urlOf names the object', () => {
    expect(destination().urlOf('ujet-media/call-1-photo-2.jpg')).toBe(`${server.endpoint}/exports/tenant-a/ujet-media/call-1-photo-2.jpg`);
    expect(destination({ endpoint: undefined, region: 'eu-west-1' }).urlOf('a.txt')).toBe('https://exports.s3.eu-west-1.amazonaws.com/tenant-a/a.txt');
  });
});

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
