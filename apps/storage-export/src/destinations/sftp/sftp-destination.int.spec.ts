import { OutboundAddressPolicy } from '@switchboard/outbound-http';
import { type SftpServer, startSftpServer } from '@switchboard/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chown, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SftpDestinationSettings } from '../destination-settings';
import { DestinationError } from '../storage-destination';
import { SftpDestination } from './sftp-destination';
import { SftpFileWriter } from './sftp-file-writer';
import { sftpRequest } from './sftp-request';

const LOOPBACK_ALLOWED = OutboundAddressPolicy.fromEntries(['127.0.0.1/32']);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('SFTP destination against OpenSSH sshd (SE1.2, SE1.3, SE3.3, SE3.5)', () => {
  let server: SftpServer;
  const opened: SftpDestination[] = [];

  beforeAll(async () => {
    server = await startSftpServer();
    await mkdir(join(server.rootDir, 'exports'));
    await chown(join(server.rootDir, 'exports'), (await stat(server.rootDir)).uid, (await stat(server.rootDir)).gid);
  });
  afterAll(async () => {
    await Promise.all(opened.map((destination) => destination.close()));
    await server?.stop();
  });

  function settings(overrides: Partial<SftpDestinationSettings> = {}): SftpDestinationSettings {
    return { backend: 'sftp', host: server.host, port: server.port, username: server.user, privateKey: server.privateKey, passphrase: server.passphrase, hostKeyFingerprint: server.hostKeyFingerprint, folderPath: 'exports', ...overrides };
  }
  function destination(overrides: Partial<SftpDestinationSettings> = {}, options: { sessions?: number; policy?: OutboundAddressPolicy; timeoutMs?: number } = {}): SftpDestination {
    const opened_ = new SftpDestination(settings(overrides), { policy: options.policy ?? LOOPBACK_ALLOWED, sessions: options.sessions ?? 4, timeoutMs: options.timeoutMs ?? 10_000 });
    opened.push(opened_);
    return opened_;
  }
  async function failureOf(promise: Promise<unknown>): Promise<DestinationError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationError);
    return error as DestinationError;
  }

  it('SE3.3 SE3.5 puts a streamed file under the folder path (sub-folders created), renamed into place, with its size and sha256 (hashed once, in one pass; no MD5 the server has no use for)', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const stored = await destination().put({ path: 'ujet-voice-recordings/call-123.mp3', content: Readable.from(chunks(bytes, 64 * 1024)), contentType: 'audio/mpeg', size: bytes.length });

    expect(stored).toEqual({ path: 'ujet-voice-recordings/call-123.mp3', size: bytes.length, sha256: sha256(bytes) });
    const folder = join(server.rootDir, 'exports', 'ujet-voice-recordings');
    expect(sha256(await readFile(join(folder, 'call-123.mp3')))).toBe(sha256(bytes));
    expect(await readdir(folder)).toEqual(['call-123.mp3']);
  });

  it('SE3.3 stat tells what is already there, with checksums read back on request; a missing file is undefined', async () => {
    const target = destination();
    const bytes = Buffer.from('chat transcript\n');
    await target.put({ path: 'ujet-chat-transcripts/chat-9.txt', content: Readable.from([bytes]), contentType: 'text/plain' });

    expect(await target.stat('ujet-chat-transcripts/chat-9.txt')).toEqual({ path: 'ujet-chat-transcripts/chat-9.txt', size: bytes.length });
    expect(await target.stat('ujet-chat-transcripts/chat-9.txt', { withChecksums: true })).toEqual({ path: 'ujet-chat-transcripts/chat-9.txt', size: bytes.length, sha256: sha256(bytes) });
    expect(await target.stat('ujet-chat-transcripts/chat-404.txt')).toBeUndefined();
  });

  it('SE3.3 a reader polling the folder during 200 uploads (new files and replacements) never sees a partial or temporary-named file as final', async () => {
    const target = destination({}, { sessions: 4 });
    const folder = join(server.rootDir, 'exports', 'ujet-media');
    const contents = new Map<string, Set<string>>();
    const uploads = Array.from({ length: 200 }, (_, index) => {
      // 50 names written four times each: replacements must be atomic too.
      const name = `call-${index % 50}-photo-${index % 50}.jpg`;
      const bytes = randomBytes(16 * 1024 + ((index * 7919) % (192 * 1024)));
      contents.set(name, (contents.get(name) ?? new Set()).add(sha256(bytes)));
      return { name, bytes };
    });
    let uploading = true;
    const problems: string[] = [];
    let looks = 0;
    const reader = (async () => {
      while (uploading) {
        const names = await readdir(folder).catch(() => [] as string[]);
        for (const name of names) {
          if (name.startsWith('.') && name.endsWith('.part')) continue;
          const expected = contents.get(name);
          if (!expected) {
            problems.push(`unexpected final name ${name}`);
            continue;
          }
          const seen = await readFile(join(folder, name)).catch(() => undefined);
          looks++;
          if (seen && !expected.has(sha256(seen))) problems.push(`${name} seen with ${seen.length} bytes that are no complete upload`);
        }
      }
    })();

    for (let start = 0; start < uploads.length; start += 8) {
      await Promise.all(uploads.slice(start, start + 8).map(({ name, bytes }) => target.put({ path: `ujet-media/${name}`, content: Readable.from(chunks(bytes, 8 * 1024)), contentType: 'image/jpeg' })));
    }
    uploading = false;
    await reader;

    expect(problems).toEqual([]);
    expect(looks).toBeGreaterThan(50);
    const final = await readdir(folder);
    expect(final.filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(final).toHaveLength(50);
  }, 120_000);

  it('SE3.3 an upload cut mid-stream (connections killed) fails as a retryable connection_lost; the re-put stores the right bytes and leaves no temporary name as final', async () => {
    const target = destination({}, { sessions: 1 });
    const bytes = randomBytes(8 * 1024 * 1024);
    let sent = 0;
    let cut = false;
    const slowSource = new Readable({
      read() {
        if (sent >= bytes.length) return void this.push(null);
        const chunk = bytes.subarray(sent, sent + 64 * 1024);
        sent += chunk.length;
        if (!cut && sent > bytes.length / 3) {
          cut = true;
          void server.dropConnections();
        }
        setTimeout(() => this.push(chunk), 1);
      },
    });

    const failure = await failureOf(target.put({ path: 'ujet-voice-recordings/call-cut.wav', content: slowSource, contentType: 'audio/wav' }));
    expect(failure.kind).toBe('connection_lost');
    expect(failure.retryable).toBe(true);
    expect(await readdir(join(server.rootDir, 'exports', 'ujet-voice-recordings'))).not.toContain('call-cut.wav');

    const stored = await target.put({ path: 'ujet-voice-recordings/call-cut.wav', content: Readable.from(chunks(bytes, 64 * 1024)), contentType: 'audio/wav', checksums: { sha256: sha256(bytes) } });
    expect(stored.sha256).toBe(sha256(bytes));
    expect(sha256(await readFile(join(server.rootDir, 'exports', 'ujet-voice-recordings', 'call-cut.wav')))).toBe(sha256(bytes));
  }, 60_000);

  it('SE3.3 stat withChecksums reads back a 1 MiB file whole (the hashing stream is drained, no hang past 16 KiB)', async () => {
    const target = destination();
    const bytes = randomBytes(1024 * 1024);
    await target.put({ path: 'ujet-voice-recordings/call-1mib.wav', content: Readable.from(chunks(bytes, 64 * 1024)), contentType: 'audio/wav' });

    const stored = await target.stat('ujet-voice-recordings/call-1mib.wav', { withChecksums: true });
    expect(stored).toEqual({ path: 'ujet-voice-recordings/call-1mib.wav', size: bytes.length, sha256: sha256(bytes) });
  }, 20_000);

  it('SE3.3 an upload killed mid-stream leaves its .part behind; the retry removes it: one whole file, no .part left', async () => {
    const target = destination({}, { sessions: 1 });
    const folder = join(server.rootDir, 'exports', 'ujet-voicemails-retry');
    const bytes = randomBytes(4 * 1024 * 1024);
    let sent = 0;
    const killed = new Readable({
      read() {
        const chunk = bytes.subarray(sent, sent + 64 * 1024);
        sent += chunk.length;
        // A third in, the connection is killed: the temporary file cannot be removed over it.
        if (sent === 64 * 1024 * 20) void server.dropConnections();
        setTimeout(() => this.push(chunk.length ? chunk : null), 1);
      },
    });
    await failureOf(target.put({ path: 'ujet-voicemails-retry/call-9.mp3', content: killed, contentType: 'audio/mpeg' }));
    expect((await readdir(folder)).filter((name) => name.endsWith('.part'))).toHaveLength(1);

    await target.put({ path: 'ujet-voicemails-retry/call-9.mp3', content: Readable.from(chunks(bytes, 64 * 1024)), contentType: 'audio/mpeg' });
    expect(await readdir(folder)).toEqual(['call-9.mp3']);
    expect(sha256(await readFile(join(folder, 'call-9.mp3')))).toBe(sha256(bytes));
  }, 60_000);

  it('SE3.3 .part files of a crashed process are removed by a new process: stale ones at once, recent ones when their file is put again; another file\'s recent one is left alone', async () => {
    const folder = join(server.rootDir, 'exports', 'ujet-crash');
    await mkdir(folder);
    const owner = await stat(server.rootDir);
    await chown(folder, owner.uid, owner.gid);
    const part = (name: string) => join(folder, `.${name}.${randomUUID()}.part`);
    const stale = part('call-1.wav');
    const recentSame = part('call-2.wav');
    const recentOther = part('call-3.wav');
    for (const path of [stale, recentSame, recentOther]) {
      await writeFile(path, randomBytes(1000));
      await chown(path, owner.uid, owner.gid);
    }
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);

    await destination().put({ path: 'ujet-crash/call-2.wav', content: Readable.from([Buffer.from('whole')]), contentType: 'audio/wav' });

    expect((await readdir(folder)).sort()).toEqual(['call-2.wav', basename(recentOther)].sort());
  });

  it('SE3.3 an MD5 known in advance (a staged upload) is hashed and verified too: the right one is reported, a wrong one fails as checksum_mismatch', async () => {
    const target = destination();
    const bytes = randomBytes(100 * 1024);
    const md5 = createHash('md5').update(bytes).digest('hex');
    const stored = await target.put({ path: 'md5-checked/vm-1.mp3', content: Readable.from([bytes]), contentType: 'audio/mpeg', checksums: { sha256: sha256(bytes), md5 } });
    expect(stored).toEqual({ path: 'md5-checked/vm-1.mp3', size: bytes.length, sha256: sha256(bytes), md5 });

    const failure = await failureOf(target.put({ path: 'md5-checked/vm-2.mp3', content: Readable.from([bytes]), contentType: 'audio/mpeg', checksums: { md5: 'f'.repeat(32) } }));
    expect(failure.kind).toBe('checksum_mismatch');
    expect(await target.stat('md5-checked/vm-2.mp3')).toBeUndefined();
  });

  it('SE3.3 a checksum known in advance that the written bytes do not match fails as checksum_mismatch and nothing is renamed into place', async () => {
    const failure = await failureOf(destination().put({ path: 'ujet-metadata/call-77.json', content: Readable.from([Buffer.from('{}')]), contentType: 'application/json', checksums: { sha256: '0'.repeat(64) } }));

    expect(failure.kind).toBe('checksum_mismatch');
    expect(await readdir(join(server.rootDir, 'exports', 'ujet-metadata'))).toEqual([]);
  });

  it('SE3.5 a source that breaks mid-stream is source_failed and leaves no file', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('upstream reset'));
      },
    });
    const failure = await failureOf(destination().put({ path: 'ujet-voicemails/call-5.mp3', content: broken, contentType: 'audio/mpeg' }));

    expect(failure.kind).toBe('source_failed');
    expect(await readdir(join(server.rootDir, 'exports', 'ujet-voicemails'))).toEqual([]);
  });

  it.each([['../escape.txt'], ['/etc/passwd'], ['a//b.txt'], ['a/./b'], ['nul\u0000.txt'], ['back\\slash'], ['']])('SE3.3 the unsafe path %j is invalid_path and never sent', async (path) => {
    const failure = await failureOf(destination().put({ path, content: Readable.from([Buffer.from('x')]), contentType: 'text/plain' }));
    expect(failure.kind).toBe('invalid_path');
    expect(failure.retryable).toBe(false);
  });

  it('SE1.3 probe writes and removes a probe file; the password login works as well as the key', async () => {
    await destination().probe();
    if (server.password) await destination({ privateKey: undefined, passphrase: undefined, password: server.password }).probe();

    expect((await readdir(join(server.rootDir, 'exports'))).filter((name) => name.includes('probe'))).toEqual([]);
  });

  it.each([
    ['a wrong password', () => ({ privateKey: undefined, passphrase: undefined, password: 'wrong-password' }), 'auth_refused'],
    ['a wrong key passphrase', () => ({ passphrase: 'wrong' }), 'auth_refused'],
    ['a host key that is not the pinned one', () => ({ hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' }), 'host_key_mismatch'],
    ['a port nobody listens on', () => ({ port: 1 }), 'host_unreachable'],
    ['a name that does not resolve', () => ({ host: 'no-such-host.invalid' }), 'host_unreachable'],
    ['a folder that does not exist', () => ({ folderPath: 'no/such/folder' }), 'folder_missing'],
  ] as const)('SE1.3 %s → %s', async (_case, overrides, kind) => {
    expect((await failureOf(destination(overrides()).probe())).kind).toBe(kind);
  });

  it('SE1.3 a folder the account may not write to → permission_denied', async () => {
    const locked = join(server.rootDir, 'locked');
    await mkdir(locked, { mode: 0o555 });
    // As root the account is another user; otherwise it owns the folder and the mode alone locks it.
    expect((await failureOf(destination({ folderPath: 'locked' }).probe())).kind).toBe('permission_denied');
  });

  it('P2.5 a host on a refused address is address_refused before any connection', async () => {
    expect((await failureOf(destination({}, { policy: OutboundAddressPolicy.fromEntries([]) }).probe())).kind).toBe('address_refused');
  });

  it.each([
    ['ended by this side', (client: SftpClient) => client.end()],
    ['cut by the server', () => server.dropConnections()],
  ])('SE3.3 a request or an upload on an SFTP channel %s meanwhile fails at once (ssh2 would never answer it)', async (_how, close) => {
    const client = new SftpClient('closed-channel-test');
    const sftp = (await client.connect({ host: server.host, port: server.port, username: server.user, privateKey: server.privateKey, passphrase: server.passphrase })) as unknown as SFTPWrapper;
    const closed = new Promise((resolve) => sftp.once('close', resolve));
    await close(client);
    await closed;
    const started = Date.now();

    const upload = await pipeline(Readable.from([Buffer.from('bytes')]), new SftpFileWriter(sftp, 'exports/closed.part')).then(() => undefined, (error: unknown) => error);
    const request = await sftpRequest<unknown>(sftp, (done) => sftp.stat('exports', done)).then(() => undefined, (error: unknown) => error);

    expect(upload).toBeInstanceOf(DestinationError);
    expect(upload).toMatchObject({ kind: 'connection_lost' });
    expect(request).toMatchObject({ kind: 'connection_lost' });
    expect(Date.now() - started).toBeLessThan(5_000); // an answer, not a request timeout
    await client.end().catch(() => undefined);
  });

  it('SE3.3 urlOf names the file on the server', () => {
    expect(destination().urlOf('ujet-media/chat-1-photo-2.jpg')).toBe(`sftp://${server.user}@127.0.0.1:${server.port}/~/exports/ujet-media/chat-1-photo-2.jpg`);
    expect(destination({ folderPath: '/srv/drop/' }).urlOf('ujet-media/a b.jpg')).toBe(`sftp://${server.user}@127.0.0.1:${server.port}/srv/drop/ujet-media/a%20b.jpg`);
  });
});

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
