import { sessionMetadataExample } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageSettingsRepository } from '../settings/storage-settings.repository';
import { ExportFilesRepository } from './export-files.repository';
import { sessionEndedData } from './session-ended.fixtures';
import { SessionExportsService } from './session-exports.service';
import { testExportSettings } from './test-support/test-export-settings';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';

let app: ExportsTestApp;

beforeAll(async () => void (app = await startExportsTestApp()), 90_000);
afterAll(() => app?.close());

// The hot reads and the exported mark run as plain SQL: they must give exactly what Prisma's model API gives.
describe('the export job\'s plain-SQL statements match the Prisma models', () => {
  it('ExportFilesRepository.find gives the row Prisma reads (bigint size, JSON document, dates, nulls); markExported writes what Prisma reads back', async () => {
    const files = new ExportFilesRepository(app.prisma);
    const now = new Date('2026-03-02T14:12:02.123Z');
    const tenantId = randomUUID();
    const metadata = await app.prisma.transaction((tx) =>
      files.create(tx, { tenantId, sessionId: 's-1', kind: 'metadata', fileName: 'call-s-1.json', path: 'ujet-metadata/call-s-1.json', contentType: 'application/json', source: { kind: 'metadata', document: sessionMetadataExample } }, now),
    );
    const recording = await app.prisma.transaction((tx) =>
      files.create(tx, { tenantId, sessionId: 's-1', kind: 'recording', fileName: 'call-s-1.wav', path: 'ujet-voice-recordings/call-s-1.wav', contentType: 'audio/wav', source: { kind: 'url', url: 'http://127.0.0.1:1/r.wav' } }, now),
    );
    for (const created of [metadata, recording]) expect(await files.find(created.id)).toEqual(await app.prisma.exportFile.findUnique({ where: { id: created.id } }));
    expect(await files.find(randomUUID())).toBeNull();

    const later = new Date('2026-03-02T14:13:00.456Z');
    const delivered = { size: 5_000_000_000, sha256: 'a'.repeat(64), storageUrl: 'sftp://u@h:22/x/call-s-1.wav', attempts: 2 };
    expect(await app.prisma.transaction((tx) => files.markExported(tx, recording, delivered, later))).toBe(true);
    const exported = await app.prisma.exportFile.findUnique({ where: { id: recording.id } });
    expect(exported).toMatchObject({ status: 'exported', size: 5_000_000_000n, sha256: 'a'.repeat(64), md5: null, storageUrl: delivered.storageUrl, attempts: 2, errorKind: null, lastError: null, exportedAt: later, updatedAt: later });
    expect(await files.find(recording.id)).toEqual(exported);
    // Exported once: a second mark, or one from a superseded generation, records nothing.
    expect(await app.prisma.transaction((tx) => files.markExported(tx, recording, delivered, later))).toBe(false);
    expect(await app.prisma.transaction((tx) => files.markExported(tx, { ...metadata, generation: 2 }, { ...delivered, md5: 'b'.repeat(32) }, later))).toBe(false);
  });

  it('StorageSettingsRepository.find gives the row Prisma reads (text array, JSON destination, date)', async () => {
    const settings = new StorageSettingsRepository(app.prisma);
    const tenantId = randomUUID();
    expect(await settings.find(tenantId)).toBeNull();
    await settings.save(tenantId, {
      enabled: true,
      fileKinds: ['recordings', 'metadata'],
      folderPath: 'exports',
      alsoSendToCrm: false,
      urlSource: 'external_storage',
      backend: 'sftp',
      destination: { host: 'sftp.example.com', port: 22, username: 'u' },
      secretsSealed: 'sealed',
    });
    expect(await settings.find(tenantId)).toEqual(await app.prisma.storageSettings.findUnique({ where: { tenantId } }));
  });
});

describe('a batch of ended sessions is planned together (one consumer batch)', () => {
  it('SE3.1 SE3.3 every new file gets one row and one job; a session met twice in the batch is planned once, its newer metadata replacing the older', async () => {
    const tenantId = randomUUID();
    const other = randomUUID();
    const settings = { enabled: true, kinds: ['recording', 'metadata'] as const, sendToCrm: false, destination: { backend: 'sftp' as const, host: '127.0.0.1', port: 1, username: 'u', password: 'p', folderPath: 'x' } };
    testExportSettings.set(tenantId, { ...settings, kinds: [...settings.kinds] });
    testExportSettings.set(other, { ...settings, kinds: ['recording'] });
    const recording = (id: string) => [{ id: `r-${id}`, url: `http://127.0.0.1:1/${id}.mp3`, contentType: 'audio/mpeg' }];
    const a = sessionEndedData({ sessionId: 'batch-a', recordings: recording('a') });
    const b = sessionEndedData({ sessionId: 'batch-b', recordings: recording('b') });
    const newerA = { ...a, metadata: { ...a.metadata, version: a.metadata.version + 1 } };
    const sessions = [
      { tenantId, ended: a },
      { tenantId: other, ended: b },
      { tenantId, ended: b },
      { tenantId, ended: a },
      { tenantId, ended: newerA },
      { tenantId: randomUUID(), ended: a }, // a tenant without settings: nothing
    ];
    await app.prisma.transaction((tx) => app.app.get(SessionExportsService).planEndedSessions(tx, sessions));

    const rows = await app.prisma.exportFile.findMany({ where: { tenantId: { in: [tenantId, other] } }, orderBy: [{ tenantId: 'asc' }, { path: 'asc' }] });
    const facts = (tenant: string) => rows.filter((row) => row.tenantId === tenant).map((row) => [row.path, row.generation, row.documentVersion]);
    expect(facts(tenantId)).toEqual([
      ['ujet-metadata/call-batch-a.json', 2, a.metadata.version + 1],
      ['ujet-metadata/call-batch-b.json', 1, b.metadata.version],
      ['ujet-voice-recordings/call-batch-a.mp3', 1, null],
      ['ujet-voice-recordings/call-batch-b.mp3', 1, null],
    ]);
    expect(facts(other)).toEqual([['ujet-voice-recordings/call-batch-b.mp3', 1, null]]);
    // The batch insert writes the row create() writes: source columns, document, status, times.
    const now = app.clock.now();
    expect(rows.find((row) => row.path === 'ujet-metadata/call-batch-b.json')).toMatchObject({ sessionId: 'batch-b', kind: 'metadata', fileName: 'call-batch-b.json', contentType: 'application/json', sourceKind: 'metadata', sourceUrl: null, uploadId: null, document: b.metadata, status: 'pending', attempts: 0, size: null, createdAt: now, updatedAt: now });
    expect(rows.find((row) => row.tenantId === other)).toMatchObject({ kind: 'recording', contentType: 'audio/mpeg', sourceKind: 'url', sourceUrl: 'http://127.0.0.1:1/b.mp3', document: null, documentVersion: null, jobKey: `${other}/batch-b/call-batch-b.mp3#1` });
    const jobs = await app.prisma.$queryRawUnsafe<Array<{ key: string }>>('SELECT key FROM job WHERE tenant_id = ANY($1::uuid[]) ORDER BY key', [tenantId, other]);
    expect(jobs.map((job) => job.key)).toEqual(rows.flatMap((row) => (row.generation === 2 ? [`${row.tenantId}/${row.sessionId}/${row.fileName}#1`, row.jobKey] : [row.jobKey])).sort());
  });
});
