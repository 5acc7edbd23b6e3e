import { Role } from '@switchboard/auth';
import { ContactSessionEventTypes, contactSessionExamples, sessionMetadataExample, StorageExportEventTypes, Topics } from '@switchboard/contracts';
import { type SftpServer, startSftpServer } from '@switchboard/testing';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedBytes } from '../../apps/storage-export/src/exports/test-support/file-source-server';
import { CrashProbe, EventPublisher, processOf, sigkill } from './support/crash-recovery';
import { readTopicEvents, type TopicEvents } from './support/topic-events';
import { eventually, startTestStack, type TestStack } from './support/test-stack';

const TENANT = randomUUID();
const SESSION = `kill-${randomUUID().slice(0, 8)}`;
const RECORDING_BYTES = 96 * 1024 * 1024;
/** The media server hands out one 1 MiB block per tick: ~10 MiB/s, so an export takes seconds and can be cut mid-way. */
const BLOCK_INTERVAL_MS = 100;
/** Bounds for work across processes on a busy two-core machine; nothing asserted depends on them. */
const FLOW_TIMEOUT_MS = 75_000;
const FILE_NAME = `call-${SESSION}.wav`;

/** The platform's media server: the recording, made on the fly (never whole in memory) and sent slowly. */
async function startSlowMediaServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    if (request.url !== `/recordings/${SESSION}.wav`) return void response.writeHead(404).end();
    requests++;
    response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(RECORDING_BYTES) });
    Readable.from(slowly(generatedBytes(RECORDING_BYTES)))
      .on('error', () => response.destroy())
      .pipe(response);
    // A reader that went away (the killed process) ends this answer too.
    response.on('close', () => request.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

async function* slowly(blocks: Iterable<Buffer>): AsyncGenerator<Buffer> {
  for (const block of blocks) {
    yield block;
    await sleep(BLOCK_INTERVAL_MS);
  }
}

function sha256Of(blocks: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const block of blocks) hash.update(block);
  return hash.digest('hex');
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Issue 10: storage-export, a separate process, SIGKILLed while it streams a 96 MiB recording from a slow media
 * server to a real sshd, then started again: the recording arrives exactly once and whole (SHA-256), the
 * temporary `.part` file of the killed upload is cleaned up, and one FileExported is published.
 */
describe('storage-export killed (SIGKILL) mid-upload and restarted: one whole file, no .part leftovers, one FileExported (issue 10, SE3.3, SE3.4)', () => {
  let stack: TestStack;
  let sftp: SftpServer;
  let media: Awaited<ReturnType<typeof startSlowMediaServer>>;
  let probe: CrashProbe;
  let publisher: EventPublisher;
  let events: TopicEvents;
  const folder = `kill-exports-${SESSION}`;
  const recordingsDir = () => join(sftp.rootDir, folder, 'ujet-voice-recordings');

  beforeAll(async () => {
    [sftp, media] = await Promise.all([startSftpServer(), startSlowMediaServer()]);
    // The recording's server and sshd are on loopback, which the SSRF guard refuses unless listed.
    stack = await startTestStack(['storage-export'], { OUTBOUND_HTTP_ALLOW: '127.0.0.1' });
    [probe, publisher, events] = await Promise.all([CrashProbe.connect(stack.databaseUrl), EventPublisher.connect(stack.kafkaBrokers), readTopicEvents(stack.kafkaBrokers, [Topics.storageExport], TENANT)]);
    await mkdir(join(sftp.rootDir, folder));
    await chmod(join(sftp.rootDir, folder), 0o777);
    const destination = { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint };
    const response = await stack.call('storage-export', '/storage-export/settings/connect', {
      method: 'POST',
      tenantId: TENANT,
      roles: [Role.Administrator],
      body: JSON.stringify({ folderPath: folder, fileKinds: ['recordings'], destination }),
    });
    expect(response.status, await response.text()).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await events?.stop();
    await publisher?.close();
    await probe?.close();
    await stack?.stop();
    await Promise.all([sftp?.stop(), new Promise((resolve) => media?.server.close(resolve))]);
  });

  const entries = () => readdir(recordingsDir()).catch(() => [] as string[]);
  const partFiles = async () => (await entries()).filter((name) => name.endsWith('.part'));

  it('exports the recording once and whole after a kill mid-upload', async () => {
    const ended = {
      ...contactSessionExamples.ended,
      sessionId: SESSION,
      occurredAt: new Date().toISOString(),
      times: { ...contactSessionExamples.ended.times, endedAt: new Date().toISOString() },
      recordings: [{ id: 'rec-1', url: `${media.url}/recordings/${SESSION}.wav`, contentType: 'audio/wav' }],
      version: 3,
      metadata: { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, id: SESSION } },
    };
    await publisher.publish(Topics.contactSession, TENANT, [{ type: ContactSessionEventTypes.ended, subject: SESSION, data: ended }]);

    // Mid-upload: a quarter of the recording is in the temporary file on the SFTP server.
    const part = await eventually(
      async () => {
        for (const name of await partFiles()) {
          const size = (await stat(join(recordingsDir(), name)).catch(() => undefined))?.size ?? 0;
          if (size >= RECORDING_BYTES / 4) return { name, size };
        }
        return undefined;
      },
      'a quarter of the recording in a .part file',
      FLOW_TIMEOUT_MS,
    );
    const deadPid = await sigkill(processOf(stack, 'storage-export'));
    expect(await entries(), 'nothing but the temporary file before the restart').toEqual([part.name]);
    await stack.start('storage-export');
    const held = await probe.expireLeasesOf('storage_export', deadPid);
    console.info(`[storage-export kill] killed with ${part.size} of ${RECORDING_BYTES} bytes in ${part.name}; jobs the dead process held: ${held.join(', ')}`);
    expect(held).toHaveLength(1);

    const [exported] = await events.waitFor(Topics.storageExport, 'FileExported of the recording', (event) => event.type === StorageExportEventTypes.fileExported, 1, FLOW_TIMEOUT_MS);
    const expectedSha256 = sha256Of(generatedBytes(RECORDING_BYTES));
    expect(exported?.event.data).toMatchObject({ sessionId: SESSION, fileName: FILE_NAME, size: RECORDING_BYTES, sha256: expectedSha256 });
    await eventually(async () => ((await partFiles()).length === 0 ? true : undefined), 'no .part file left', FLOW_TIMEOUT_MS);
    expect(await entries()).toEqual([FILE_NAME]);
    expect((await stat(join(recordingsDir(), FILE_NAME))).size).toBe(RECORDING_BYTES);
    expect(await sha256OfFile(join(recordingsDir(), FILE_NAME))).toBe(expectedSha256);
    expect(media.requests(), 'the recording fetched again after the kill').toBeGreaterThanOrEqual(2);

    const view = await stack.call('storage-export', `/sessions/${SESSION}/exports`, { method: 'GET', tenantId: TENANT, roles: [Role.Administrator] });
    const { files } = (await view.json()) as { files: Array<{ fileName: string; status: string; sha256: string; attempts: number }> };
    expect(files).toEqual([expect.objectContaining({ fileName: FILE_NAME, status: 'exported', sha256: expectedSha256 })]);
    // A late duplicate would come through the outbox within a relay round or two.
    await sleep(2_000);
    expect(events.seen(Topics.storageExport, (event) => event.type === StorageExportEventTypes.fileExported)).toHaveLength(1);
  }, 180_000);
});
