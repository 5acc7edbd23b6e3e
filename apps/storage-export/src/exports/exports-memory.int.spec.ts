import { eventually, type SftpServer } from '@switchboard/testing';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionEndedData } from './session-ended.fixtures';
import { type FileSourceServer, generatedBytes } from './test-support/file-source-server';
import { type SftpExports, sftpExportTenant, startSftpExports } from './test-support/sftp-exports';
import type { ExportsTestApp } from './test-support/exports-test-app';

const GIB = 1024 ** 3;
/** What the export of one file may add to the process's resident memory: a small fraction of the file. */
const MAX_RSS_GROWTH = 100 * 1024 * 1024;

let exports: SftpExports;
let sftp: SftpServer;
let source: FileSourceServer;
let app: ExportsTestApp;

async function sha256Of(stream: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

beforeAll(async () => {
  exports = await startSftpExports();
  ({ sftp, source, app } = exports);
}, 120_000);

afterAll(() => exports?.close());

describe('large files (SE3.5)', () => {
  it('SE3.5 exports a 1 GiB recording streamed: the process grows by far less than the file', async () => {
    const { tenantId, folder } = await sftpExportTenant(sftp, { kinds: ['recording'] });
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
    expect(await sha256Of(createReadStream(join(sftp.rootDir, folder, 'ujet-voice-recordings', 'call-big-1.wav')))).toBe(expected);
  }, 600_000);
});
