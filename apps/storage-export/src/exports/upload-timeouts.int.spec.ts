import { Role } from '@switchboard/auth';
import { startSftpServer, type SftpServer } from '@switchboard/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';
import { testExportSettings } from './test-support/test-export-settings';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const REQUEST_TIMEOUT_MS = 1_500;

interface Trickled {
  /** What the server answered before closing (or the whole answer). */
  answer: string;
  bytesSent: number;
}

/**
 * Sends a request over a raw connection: the headers, then the body in `chunkSize` pieces every `intervalMs`,
 * stopping for good after `stallAfter` bytes when given. Resolves when the answer is complete or the connection closes.
 */
function trickle(url: string, options: { method: string; path: string; headers: Record<string, string>; body: Buffer; chunkSize: number; intervalMs: number; stallAfter?: number }): Promise<Trickled> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  const head = [`${options.method} ${options.path} HTTP/1.1`, `Host: ${hostname}`, 'Connection: close', `Content-Length: ${options.body.length}`, ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  let sent = 0;
  let answer = '';
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.write(`${head}\r\n\r\n`);
  const timer = setInterval(() => {
    if (sent >= options.body.length || (options.stallAfter !== undefined && sent >= options.stallAfter) || !socket.writable) return;
    const piece = options.body.subarray(sent, sent + options.chunkSize);
    sent += piece.length;
    socket.write(piece);
  }, options.intervalMs);
  return new Promise((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ answer, bytesSent: sent });
    });
  });
}

describe('storage-export request timeouts: long uploads are not cut while they progress (SE3.5, P2.1)', () => {
  let sftp: SftpServer;
  let app: ExportsTestApp;
  let tenantId: string;
  let folder: string;
  let authorization: string;

  beforeAll(async () => {
    sftp = await startSftpServer();
    app = await startExportsTestApp({ HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HTTP_HEADERS_TIMEOUT_MS: '1000', UPLOAD_IDLE_TIMEOUT_MS: '1000' });
    tenantId = randomUUID();
    folder = `exports-${tenantId.slice(0, 8)}`;
    await mkdir(join(sftp.rootDir, folder), { mode: 0o777 });
    await chmod(join(sftp.rootDir, folder), 0o777);
    testExportSettings.set(tenantId, {
      enabled: true,
      kinds: ['recording', 'voicemail', 'transcript', 'media', 'metadata'] as never,
      sendToCrm: false,
      destination: { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint, folderPath: folder },
    });
    authorization = `Bearer ${await app.token(tenantId, [Role.Administrator])}`;
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await sftp?.stop();
  });

  it('SE3.5 an upload progressing steadily for ~4 s, well past HTTP_REQUEST_TIMEOUT_MS (1.5 s), is accepted (202) and delivered whole', async () => {
    const bytes = randomBytes(640 * 1024);
    const started = Date.now();
    const outcome = await trickle(app.url, { method: 'PUT', path: '/sessions/slow-1/files/voicemail/call-slow-1.wav', headers: { authorization, 'content-type': 'audio/wav' }, body: bytes, chunkSize: 32 * 1024, intervalMs: 200 });

    expect(Date.now() - started).toBeGreaterThan(2 * REQUEST_TIMEOUT_MS);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 202 /);
    await app.jobs.runDueJobs();
    expect(sha256(await readFile(join(sftp.rootDir, folder, 'ujet-voicemails/call-slow-1.wav')))).toBe(sha256(bytes));
  }, 30_000);

  it('SE3.5 an upload whose bytes stop coming is cut after UPLOAD_IDLE_TIMEOUT_MS with 408; nothing is staged or planned', async () => {
    const bytes = randomBytes(640 * 1024);
    const outcome = await trickle(app.url, { method: 'PUT', path: '/sessions/idle-1/files/voicemail/call-idle-1.wav', headers: { authorization, 'content-type': 'audio/wav' }, body: bytes, chunkSize: 32 * 1024, intervalMs: 100, stallAfter: 128 * 1024 });

    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.bytesSent).toBeLessThan(bytes.length);
    expect(await app.prisma.exportFile.count({ where: { tenantId, sessionId: 'idle-1' } })).toBe(0);
    expect(await app.prisma.stagedUpload.count({ where: { tenantId, sessionId: 'idle-1', state: 'complete' } })).toBe(0);
  }, 30_000);

  it('P2.1 every other route keeps HTTP_REQUEST_TIMEOUT_MS: a body still unfinished after it is cut with 408', async () => {
    const started = Date.now();
    const outcome = await trickle(app.url, { method: 'POST', path: '/sessions/s-1/exports/retry', headers: { authorization, 'content-type': 'application/json' }, body: Buffer.from(`{"padding":"${'x'.repeat(40)}"}`), chunkSize: 1, intervalMs: 200 });

    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  }, 30_000);
});
