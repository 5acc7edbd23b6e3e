import { Role } from '@switchboard/auth';
import { type SessionMetadata, sessionMetadataSchema, StorageExportEventTypes, Topics } from '@switchboard/contracts';
import { eventually, type SftpServer } from '@switchboard/testing';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_RETRY_POLICY } from './file-export.job';
import { sessionEndedData } from './session-ended.fixtures';
import type { FileSourceServer } from './test-support/file-source-server';
import { type SftpExports, sftpExportTenant, startSftpExports } from './test-support/sftp-exports';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';

let exports: SftpExports;
let sftp: SftpServer;
let source: FileSourceServer;
let app: ExportsTestApp;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ADMIN = [Role.Administrator];
/** SE3.1, METADATA_EXPORT_DELAY_SEC's default (the app here runs without it). */
const METADATA_EXPORT_DELAY_MS = 15 * 60_000;

const newTenant = (overrides: Parameters<typeof sftpExportTenant>[1] = {}) => sftpExportTenant(sftp, overrides);

const onSftp = (folder: string, path: string) => join(sftp.rootDir, folder, path);
const fileOnSftp = (folder: string, path: string) => readFile(onSftp(folder, path)).catch(() => undefined);

async function listExports(tenantId: string, sessionId: string) {
  const response = await app.call(`/sessions/${sessionId}/exports`, { tenantId, roles: ADMIN });
  return { status: response.status, body: (await response.json()) as { files: { fileName: string; status: string; attempts: number; lastError: { kind: string; message: string } | null; sha256: string | null }[] } };
}

async function exportFilesOf(tenantId: string, sessionId: string) {
  return app.prisma.exportFile.findMany({ where: { tenantId, sessionId }, orderBy: { path: 'asc' } });
}

/** Waits until the consumer has planned the session's files (the event went through Kafka). */
function planned(tenantId: string, sessionId: string, count: number) {
  return eventually(async () => {
    const files = await exportFilesOf(tenantId, sessionId);
    return files.length >= count ? files : undefined;
  }, `${count} export files of session ${sessionId}`);
}

async function exportEvents(tenantId: string, type: string) {
  const envelopes = (await app.outbox()).filter((row) => row.topic === Topics.storageExport).map((row) => row.envelope as unknown as { tenantid: string; type: string; subject: string; data: Record<string, unknown> });
  return envelopes.filter((envelope) => envelope.tenantid === tenantId && envelope.type === type);
}

beforeAll(async () => {
  exports = await startSftpExports();
  ({ sftp, source, app } = exports);
}, 120_000);

afterAll(() => exports?.close());

describe('exporting an ended session (SE2, SE3)', () => {
  it('SE3.1 SE2.2 delivers the recording within seconds of the end, named call-{id}.mp3, whole, with FileExported', async () => {
    const { tenantId, folder } = await newTenant();
    const bytes = randomBytes(300_000);
    const url = source.put(`/rec/${tenantId}.mp3`, bytes, 'audio/mpeg');
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: '103646', recordings: [{ id: 'r1', url, contentType: 'audio/mpeg' }] }));
    await planned(tenantId, '103646', 2);

    await app.jobs.runDueJobs();

    expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-103646.mp3'))!)).toBe(sha256(bytes));
    const [exported] = await exportEvents(tenantId, StorageExportEventTypes.fileExported);
    expect(exported).toMatchObject({ subject: '103646', data: { fileKind: 'recording', fileName: 'call-103646.mp3', path: 'ujet-voice-recordings/call-103646.mp3', size: bytes.length, sha256: sha256(bytes), backend: 'sftp', attempts: 1 } });
    expect(exported!.data['storageUrl']).toMatch(new RegExp(`^sftp://([^@/]+@)?127\\.0\\.0\\.1:${sftp.port}/.*${folder}/ujet-voice-recordings/call-103646\\.mp3$`));
    const { body } = await listExports(tenantId, '103646');
    expect(body.files.map((file) => [file.fileName, file.status])).toEqual([
      ['call-103646.json', 'pending'],
      ['call-103646.mp3', 'exported'],
    ]);
  });

  it('SE3.1 SE3.2 writes the metadata file only after the (injected) 15 minutes, with every documented field', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['metadata'] });
    const ended = sessionEndedData({ sessionId: 'meta-1', times: { endedAt: app.clock.now().toISOString() } as never });
    await app.publishEnded(tenantId, ended);
    await planned(tenantId, 'meta-1', 1);

    await app.jobs.runDueJobs();
    expect(await fileOnSftp(folder, 'ujet-metadata/call-meta-1.json')).toBeUndefined();
    app.clock.advance(METADATA_EXPORT_DELAY_MS - 1_000);
    await app.jobs.runDueJobs();
    expect(await fileOnSftp(folder, 'ujet-metadata/call-meta-1.json')).toBeUndefined();

    app.clock.advance(1_000);
    await app.jobs.runDueJobs();
    const written = JSON.parse((await fileOnSftp(folder, 'ujet-metadata/call-meta-1.json'))!.toString('utf8')) as SessionMetadata;
    expect(sessionMetadataSchema.strict().safeParse(written).success).toBe(true);
    expect(written).toEqual(ended.metadata);
    // Every documented field present (null or [] when unknown), 20+ data points (SE3.2).
    const leaves = (value: unknown): number => (value && typeof value === 'object' && !Array.isArray(value) ? Object.values(value).reduce<number>((n, v) => n + leaves(v), 0) : 1);
    expect(leaves(written)).toBeGreaterThanOrEqual(20);
    for (const key of ['schemaVersion', 'session', 'endUser', 'participants', 'transfers', 'durations', 'csat', 'disposition', 'files', 'diagnostics', 'version', 'generatedAt']) expect(written).toHaveProperty(key);
  });

  it('SE3.3 a redelivered or re-issued SessionEnded exports nothing twice; a newer metadata version is written again', async () => {
    const { tenantId, folder } = await newTenant();
    const url = source.put(`/rec/${tenantId}-dup.mp3`, randomBytes(10_000));
    const ended = sessionEndedData({ sessionId: 'dup-1', recordings: [{ id: 'r1', url, contentType: 'audio/mpeg' }] });
    const event = await app.publishEnded(tenantId, ended);
    await planned(tenantId, 'dup-1', 2);
    await app.publishEnded(tenantId, ended, event.id); // the same event again (redelivery)
    await app.publishEnded(tenantId, ended); // the same facts re-issued under a new id
    await app.publishEnded(tenantId, { ...ended, metadata: { ...ended.metadata, version: ended.metadata.version + 1, csat: { rating: 2, feedback: 'late' } } });
    await eventually(async () => ((await exportFilesOf(tenantId, 'dup-1')).find((file) => file.kind === 'metadata')?.documentVersion === ended.metadata.version + 1 ? true : undefined), 'the newer metadata');

    app.clock.advance(METADATA_EXPORT_DELAY_MS);
    await app.jobs.runDueJobs();
    await app.jobs.runDueJobs();
    expect(source.countOf(`/rec/${tenantId}-dup.mp3`)).toBe(1);
    expect(await exportEvents(tenantId, StorageExportEventTypes.fileExported)).toHaveLength(2);
    const metadata = JSON.parse((await fileOnSftp(folder, 'ujet-metadata/call-dup-1.json'))!.toString('utf8')) as SessionMetadata;
    expect(metadata.csat).toEqual({ rating: 2, feedback: 'late' });
  });

  it('SE3.3 retries a failing source with back-off, then delivers; the tries and last error are visible meanwhile', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    const bytes = randomBytes(50_000);
    const path = `/rec/${tenantId}-flaky.wav`;
    const url = source.put(path, bytes, 'audio/wav');
    source.fail(path, { status: 503 }, { cutAfterBytes: 20_000 });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'flaky-1', recordings: [{ id: 'r', url, contentType: 'audio/wav' }] }));
    await planned(tenantId, 'flaky-1', 1);

    await app.jobs.runDueJobs();
    let { body } = await listExports(tenantId, 'flaky-1');
    expect(body.files[0]).toMatchObject({ fileName: 'call-flaky-1.wav', status: 'pending', attempts: 1, lastError: { kind: 'source_unavailable' } });
    await app.jobs.runDueJobs(); // not due yet: back-off
    expect(source.countOf(path)).toBe(1);

    app.clock.advance(EXPORT_RETRY_POLICY.initialDelayMs);
    await app.jobs.runDueJobs();
    ({ body } = await listExports(tenantId, 'flaky-1'));
    expect(body.files[0]).toMatchObject({ status: 'pending', attempts: 2 });
    expect(await fileOnSftp(folder, 'ujet-voice-recordings/call-flaky-1.wav')).toBeUndefined();

    app.clock.advance(EXPORT_RETRY_POLICY.initialDelayMs * 2);
    await app.jobs.runDueJobs();
    expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-flaky-1.wav'))!)).toBe(sha256(bytes));
    ({ body } = await listExports(tenantId, 'flaky-1'));
    expect(body.files[0]).toMatchObject({ status: 'exported', attempts: 3, lastError: null, sha256: sha256(bytes) });
  });

  it('SE3.3 SE3.4 a file that cannot be fetched fails visibly with FileExportFailed; the retry command runs it again', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    const url = `${source.url}/rec/${tenantId}-late.mp3`; // not there yet: 404
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'late-1', recordings: [{ id: 'r', url, contentType: 'audio/mpeg' }] }));
    await planned(tenantId, 'late-1', 1);
    await app.jobs.runDueJobs();

    const { body } = await listExports(tenantId, 'late-1');
    expect(body.files[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: { kind: 'source_missing', message: "the file's URL answered 404" } });
    const [failed] = await exportEvents(tenantId, StorageExportEventTypes.fileExportFailed);
    expect(failed!.data).toMatchObject({ fileName: 'call-late-1.mp3', error: { kind: 'source_missing' }, attempts: 1 });
    expect(failed!.data['storageUrl']).toMatch(/^sftp:\/\/.*ujet-voice-recordings\/call-late-1\.mp3$/);

    const bytes = randomBytes(5_000);
    source.put(`/rec/${tenantId}-late.mp3`, bytes);
    const retried = await app.call('/sessions/late-1/exports/retry', { method: 'POST', tenantId, roles: ADMIN });
    expect(await retried.json()).toEqual({ retried: ['call-late-1.mp3'] });
    await app.jobs.runDueJobs();
    expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-late-1.mp3'))!)).toBe(sha256(bytes));
    expect((await listExports(tenantId, 'late-1')).body.files[0]).toMatchObject({ status: 'exported', attempts: 1 });
  });

  it('SE3.3 P2.5 a file URL pointing at the cloud metadata address is refused, never fetched, nothing written', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'ssrf-1', recordings: [{ id: 'r', url: 'http://169.254.169.254/latest/meta-data/iam', contentType: 'audio/mpeg' }] }));
    await planned(tenantId, 'ssrf-1', 1);
    await app.jobs.runDueJobs();
    expect((await listExports(tenantId, 'ssrf-1')).body.files[0]).toMatchObject({ status: 'failed', lastError: { kind: 'source_refused' } });
    expect(await readdir(join(sftp.rootDir, folder))).toEqual([]);
  });

  it('SE1.1 a tenant with exports disabled gets nothing planned', async () => {
    const { tenantId } = await newTenant({ enabled: false });
    const control = await newTenant({ kinds: ['metadata'] });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'off-1' }));
    await app.publishEnded(control.tenantId, sessionEndedData({ sessionId: 'off-1' }));
    await planned(control.tenantId, 'off-1', 1); // the later event was consumed, so the earlier one was too
    expect(await exportFilesOf(tenantId, 'off-1')).toEqual([]);
  });

  it('SE3.3 an upload cut mid-stream (SFTP peer connections killed) is retried and the final file matches', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    const bytes = randomBytes(8 * 1024 * 1024);
    const path = `/rec/${tenantId}-cut.mp3`;
    const url = source.put(path, bytes);
    source.fail(path, { stallAfterBytes: 2 * 1024 * 1024 });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'cut-1', recordings: [{ id: 'r', url, contentType: 'audio/mpeg' }] }));
    await planned(tenantId, 'cut-1', 1);

    const running = app.jobs.runDueJobs();
    await eventually(async () => ((await readdir(join(sftp.rootDir, folder, 'ujet-voice-recordings')).catch(() => [])).some((name) => name.endsWith('.part')) ? true : undefined), 'a temporary file');
    await sftp.dropConnections();
    await running;
    expect((await listExports(tenantId, 'cut-1')).body.files[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await fileOnSftp(folder, 'ujet-voice-recordings/call-cut-1.mp3')).toBeUndefined();

    app.clock.advance(EXPORT_RETRY_POLICY.initialDelayMs);
    await app.jobs.runDueJobs();
    expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-cut-1.mp3'))!)).toBe(sha256(bytes));
  }, 60_000);

  it('SE3.3 a replica that dies mid-upload loses and duplicates nothing: another takes the job over from the job table', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    const bytes = randomBytes(4 * 1024 * 1024);
    const path = `/rec/${tenantId}-crash.mp3`;
    const url = source.put(path, bytes);
    source.fail(path, { stallAfterBytes: 1024 * 1024 });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'crash-1', recordings: [{ id: 'r', url, contentType: 'audio/mpeg' }] }));
    await planned(tenantId, 'crash-1', 1);
    const replica = await startExportsTestApp({}, { replicaOf: app, clock: app.clock });
    try {
      const dying = app.jobs.runDueJobs(); // this replica stalls mid-upload and never finishes
      await eventually(async () => ((await readdir(join(sftp.rootDir, folder, 'ujet-voice-recordings')).catch(() => [])).some((name) => name.endsWith('.part')) ? true : undefined), 'a partial upload');
      app.clock.advance(121_000); // its lease runs out

      await replica.jobs.runDueJobs();
      expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-crash-1.mp3'))!)).toBe(sha256(bytes));
      source.releaseStalled(); // the dead replica's transfer ends; whatever it does now is not recorded
      await dying;

      expect(await exportEvents(tenantId, StorageExportEventTypes.fileExported)).toHaveLength(1);
      expect(await exportEvents(tenantId, StorageExportEventTypes.fileExportFailed)).toHaveLength(0);
      expect((await listExports(tenantId, 'crash-1')).body.files[0]).toMatchObject({ status: 'exported', sha256: sha256(bytes) });
      expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-crash-1.mp3'))!)).toBe(sha256(bytes));
      expect((await readdir(join(sftp.rootDir, folder, 'ujet-voice-recordings'))).filter((name) => !name.startsWith('.'))).toEqual(['call-crash-1.mp3']);
    } finally {
      await replica.close();
    }
  }, 90_000);

  it('SE3.5 SE1.4 an uploaded voicemail is accepted once staged in chunks, delivered whole, and readable by the CRM through its signed link', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['voicemail'], sendToCrm: true });
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const response = await app.call('/sessions/vm-1/files/voicemail/call-vm-1.wav', { method: 'PUT', tenantId, roles: ADMIN, headers: { 'content-type': 'audio/wav' }, body: bytes });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ sessionId: 'vm-1', kind: 'voicemail', fileName: 'call-vm-1.wav', path: 'ujet-voicemails/call-vm-1.wav', size: bytes.length, sha256: sha256(bytes), status: 'pending' });
    expect(await app.prisma.stagedUploadChunk.count()).toBeGreaterThanOrEqual(3); // ~1 MiB chunks, never one buffer

    await app.jobs.runDueJobs();
    expect(sha256((await fileOnSftp(folder, 'ujet-voicemails/call-vm-1.wav'))!)).toBe(sha256(bytes));

    // SE1.4: crm-sync gets a signed link to the same bytes.
    const [handover] = await exportEvents(tenantId, StorageExportEventTypes.fileForCrm);
    expect(handover!.data).toMatchObject({ sessionId: 'vm-1', fileKind: 'voicemail', fileName: 'call-vm-1.wav', contentType: 'audio/wav', size: bytes.length, sha256: sha256(bytes) });
    const link = new URL((handover!.data['download'] as { url: string }).url);
    const download = await fetch(`${app.url}${link.pathname}${link.search}`);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(bytes));

    expect((await listExports(tenantId, 'vm-1')).body.files[0]).toMatchObject({ status: 'exported', sha256: sha256(bytes) });
  });

  it('SE3.3 an upload sent again with the same bytes is not re-sent: the destination already holds them', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['transcript'] });
    // Well over 16 KiB: the destination reads the existing file back to compare checksums.
    const bytes = Buffer.from('agent: hello\ncustomer: my bill is wrong\n'.repeat(8_000));
    const send = () => app.call('/sessions/tx-1/files/transcript/chat-tx-1.txt', { method: 'PUT', tenantId, roles: ADMIN, headers: { 'content-type': 'text/plain' }, body: bytes });
    expect((await send()).status).toBe(202);
    await app.jobs.runDueJobs();
    const before = (await stat(onSftp(folder, 'ujet-chat-transcripts/chat-tx-1.txt'))).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect((await send()).status).toBe(202); // a client's retry
    await app.jobs.runDueJobs();
    expect((await stat(onSftp(folder, 'ujet-chat-transcripts/chat-tx-1.txt'))).mtimeMs).toBe(before);
    expect((await listExports(tenantId, 'tx-1')).body.files[0]).toMatchObject({ status: 'exported', sha256: sha256(bytes) });
    expect(await exportEvents(tenantId, StorageExportEventTypes.fileExported)).toHaveLength(2);
  });

  it('SE3.3 an upload that arrives while an older copy is being delivered is the one that stays', async () => {
    const { tenantId, folder } = await newTenant({ kinds: ['recording'] });
    const path = `/rec/${tenantId}-old.mp3`;
    const url = source.put(path, randomBytes(2 * 1024 * 1024));
    source.fail(path, { stallAfterBytes: 512 * 1024 });
    await app.publishEnded(tenantId, sessionEndedData({ sessionId: 'race-1', recordings: [{ id: 'r', url, contentType: 'audio/mpeg' }] }));
    await planned(tenantId, 'race-1', 1);
    const older = app.jobs.runDueJobs();
    await eventually(async () => (source.countOf(path) === 1 ? true : undefined), 'the older copy being fetched');

    const newer = randomBytes(100_000);
    expect((await app.call('/sessions/race-1/files/recording/call-race-1.mp3', { method: 'PUT', tenantId, roles: ADMIN, headers: { 'content-type': 'audio/mpeg' }, body: newer })).status).toBe(202);
    source.releaseStalled();
    await older;
    await app.jobs.runDueJobs();

    expect(sha256((await fileOnSftp(folder, 'ujet-voice-recordings/call-race-1.mp3'))!)).toBe(sha256(newer));
    expect((await listExports(tenantId, 'race-1')).body.files[0]).toMatchObject({ status: 'exported', sha256: sha256(newer) });
  });
});
