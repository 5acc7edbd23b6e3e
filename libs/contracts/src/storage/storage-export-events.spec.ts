import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { fileForCrmSchema, StorageExportEventTypes } from './storage-export-events';

const TENANT = '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
const SHA = 'a'.repeat(64);
const event = (type: string, data: Record<string, unknown>) => createCloudEvent({ type, source: '/switchboard/storage-export', subject: '103646', tenantId: TENANT, data });
const ref = { sessionId: '103646', fileKind: 'recording', fileName: 'call-103646.mp3', path: 'ujet-voice-recordings/call-103646.mp3', storageUrl: 'sftp://files.example.com:22/exports/ujet-voice-recordings/call-103646.mp3', backend: 'sftp' };
const exported = { ...ref, contentType: 'audio/mpeg', size: 1024, sha256: SHA, exportedAt: '2026-03-02T14:12:03.000Z', attempts: 1 };
const forCrm = { sessionId: '103646', fileKind: 'recording', fileName: 'call-103646.mp3', contentType: 'audio/mpeg', size: 1024, sha256: SHA, download: { url: 'https://storage-export.example.com/exports/files/1/content?signature=x', expiresAt: '2026-03-03T14:12:03.000Z' }, storageUrl: ref.storageUrl };

describe('storage.export.v1 contract (SE3.4, SE1.4)', () => {
  it('SE3.4 FileExported carries the file, its size, SHA-256 and storage URL, on its own topic only', () => {
    const fileExported = event(StorageExportEventTypes.fileExported, exported);
    expect(eventCatalog.parse(Topics.storageExport, fileExported).data).toEqual(exported);
    expect(() => eventCatalog.parse(Topics.contactSession, fileExported)).toThrow(/belongs on storage.export.v1/);
  });

  it('SE3.4 FileExportFailed carries the storage URL and the error', () => {
    const failed = { ...ref, error: { kind: 'auth_refused', message: 'the SFTP server refused the password' }, attempts: 10, failedAt: '2026-03-02T14:30:00.000Z' };
    expect(eventCatalog.parse(Topics.storageExport, event(StorageExportEventTypes.fileExportFailed, failed)).data).toEqual(failed);
    const { storageUrl: _missing, ...withoutUrl } = failed;
    expect(() => eventCatalog.parse(Topics.storageExport, event(StorageExportEventTypes.fileExportFailed, withoutUrl))).toThrow(/storageUrl/);
  });

  it('SE1.4 FileForCrm tells crm-sync what the file is and where to read its bytes (signed, expiring, or the platform link)', () => {
    expect(eventCatalog.parse(Topics.storageExport, event(StorageExportEventTypes.fileForCrm, forCrm)).data).toEqual(forCrm);
    expect(fileForCrmSchema.safeParse({ ...forCrm, download: { url: 'https://media.example.com/r.mp3', expiresAt: null } }).success).toBe(true);
  });

  it.each([
    ['a file name with a path', { fileName: '../call-1.mp3' }, 'fileName'],
    ['a file name outside the layout', { fileName: 'passwd' }, 'fileName'],
    ['a download URL that is not http(s)', { download: { url: 'file:///etc/passwd', expiresAt: null } }, 'download.url'],
    ['a SHA-256 that is not 64 hex digits', { sha256: 'abc' }, 'sha256'],
    ['an unknown kind', { fileKind: 'fax' }, 'fileKind'],
    ['a negative size', { size: -1 }, 'size'],
  ])('SE1.4 refuses %s', (_what, change, field) => {
    const result = fileForCrmSchema.safeParse({ ...forCrm, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
