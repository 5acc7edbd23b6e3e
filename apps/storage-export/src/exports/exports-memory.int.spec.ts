import { eventually, startSftpServer, type SftpServer } from '@switchboard/testing';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionEndedData } from './session-ended.fixtures';
import { FileSourceServer, generatedBytes } from './test-support/file-source-server';
import { testExportSettings } from './test-support/test-export-settings';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';

const GIB = 1024 ** 3;
/** What the export of one file may add to the process's resident memory: a small fraction of the file. */
const MAX_RSS_GROWTH = 100 * 1024 * 1024;

let sftp: SftpServer;
let source: FileSourceServer;
let app: ExportsTestApp;

async function sha256Of(stream: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

beforeAll(async () => {
  [sftp, source] = await Promise.all([startSftpServer(), FileSourceServer.start()]);
  app = await startExportsTestApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([sftp?.stop(), source?.stop()]);
});

describe('large files (SE3.5)', () => {
  it('SE3.5 exports a 1 GiB recording streamed: the process grows by far less than the file', async () => {
    const tenantId = randomUUID();
    await mkdir(join(sftp.rootDir, 'big'), { mode: 0o777 });
    await chmod(join(sftp.rootDir, 'big'), 0o777);
    testExportSettings.set(tenantId, {
      enabled: true,
      kinds: ['recording'],
      sendToCrm: false,
      destination: { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, folderPath: 'big' },
    });
    const url = source.putGenerated(`/big/${tenantId}.wav`, GIB);
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'big-1', recordings: [{ id: 'r', url, contentType: 'audio/wav' }] }));
    await eventually(async () => ((await app.prisma.exportFile.count({ where: { tenantId } })) === 1 ? true : undefined), 'the planned file');

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      await app.jobs.runDueJobs();
    } finally {
      clearInterval(sampler);
    }
    const file = await app.prisma.exportFile.findFirstOrThrow({ where: { tenantId } });
    expect(file.status).toBe('exported');
    expect(Number(file.size)).toBe(GIB);
    console.log(`SE3.5 1 GiB export: RSS before ${(before / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB, growth ${((peak - before) / 2 ** 20).toFixed(0)} MiB`);
    expect(peak - before).toBeLessThan(MAX_RSS_GROWTH);
    const expected = await sha256Of(generatedBytes(GIB));
    expect(file.sha256).toBe(expected);
    expect(await sha256Of(createReadStream(join(sftp.rootDir, 'big', 'ujet-voice-recordings', 'call-big-1.wav')))).toBe(expected);
  }, 600_000);
});
