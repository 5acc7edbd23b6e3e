import { sessionMetadataExample } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageSettingsRepository } from '../settings/storage-settings.repository';
import { ExportFilesRepository } from './export-files.repository';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';

let app: ExportsTestApp;

beforeAll(async () => {
  app = await startExportsTestApp();
}, 90_000);

afterAll(async () => {
  await app?.close();
});

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
