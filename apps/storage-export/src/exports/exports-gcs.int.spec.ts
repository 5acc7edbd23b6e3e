import { Role } from '@switchboard/auth';
import { GcsSimulator, type ServiceAccountKeyFile } from '@switchboard/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_RETRY_POLICY } from './file-export.job';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';
import { testExportSettings } from './test-support/test-export-settings';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ADMIN = [Role.Administrator];

describe('exporting to Google Cloud Storage through the pipeline (SE1.2, SE3.3)', () => {
  let gcs: GcsSimulator;
  let key: ServiceAccountKeyFile;
  let app: ExportsTestApp;

  beforeAll(async () => {
    gcs = await GcsSimulator.start({ buckets: ['exports'] });
    key = gcs.createServiceAccount();
    app = await startExportsTestApp({ GCS_API_ENDPOINT: gcs.url, GCS_TOKEN_URL: gcs.tokenUri });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await gcs?.close();
  });

  function newTenant(): { tenantId: string; prefix: string } {
    const tenantId = randomUUID();
    const prefix = `tenant-${tenantId.slice(0, 8)}`;
    testExportSettings.set(tenantId, {
      enabled: true,
      kinds: ['recording', 'voicemail', 'transcript', 'media', 'metadata'] as never,
      sendToCrm: false,
      destination: { backend: 'gcs', bucket: 'exports', clientEmail: key.client_email, privateKey: key.private_key, projectId: key.project_id, folderPath: prefix },
    });
    return { tenantId, prefix };
  }
  const upload = (tenantId: string, sessionId: string, bytes: Buffer) =>
    app.call(`/sessions/${sessionId}/files/voicemail/call-${sessionId}.wav`, { method: 'PUT', tenantId, roles: ADMIN, headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(bytes) });
  async function exportOf(tenantId: string, sessionId: string) {
    const response = await app.call(`/sessions/${sessionId}/exports`, { tenantId, roles: ADMIN });
    return ((await response.json()) as { files: Array<{ status: string; attempts: number; lastError: { kind: string } | null; sha256: string | null; storageUrl: string | null }> }).files[0];
  }
  const uploadRequests = (prefix: string) => gcs.requests.filter((request) => request.path.startsWith('/upload/') && request.method === 'POST' && JSON.stringify(request.query).includes(prefix)).length;

  it('SE3.3 an upload reaches the bucket verified; sent again with the same bytes it is not re-sent (the object\'s md5Hash already matches)', async () => {
    const { tenantId, prefix } = newTenant();
    const bytes = randomBytes(300 * 1024);
    expect((await upload(tenantId, 'g-1', bytes)).status).toBe(202);
    await app.jobs.runDueJobs();

    const object = gcs.object('exports', `${prefix}/ujet-voicemails/call-g-1.wav`);
    expect(object?.bytes.equals(bytes)).toBe(true);
    expect(await exportOf(tenantId, 'g-1')).toMatchObject({ status: 'exported', sha256: sha256(bytes), storageUrl: expect.stringContaining(`/storage/v1/b/exports/o/${prefix}%2Fujet-voicemails%2Fcall-g-1.wav`) });
    const sent = uploadRequests(prefix);
    expect(sent).toBe(1);

    expect((await upload(tenantId, 'g-1', bytes)).status).toBe(202);
    await app.jobs.runDueJobs();
    expect(uploadRequests(prefix)).toBe(sent);
    expect(gcs.object('exports', `${prefix}/ujet-voicemails/call-g-1.wav`)?.generation).toBe(object?.generation);
    expect(await exportOf(tenantId, 'g-1')).toMatchObject({ status: 'exported' });
  });

  it('SE3.3 a GCS write with a corrupted byte is detected (checksum_mismatch), the object removed, and redone on the retry', async () => {
    const { tenantId, prefix } = newTenant();
    const bytes = randomBytes(200 * 1024);
    gcs.corruptNext('at-rest');
    expect((await upload(tenantId, 'g-2', bytes)).status).toBe(202);

    await app.jobs.runDueJobs();
    expect(await exportOf(tenantId, 'g-2')).toMatchObject({ status: 'pending', attempts: 1, lastError: { kind: 'checksum_mismatch' } });
    expect(gcs.object('exports', `${prefix}/ujet-voicemails/call-g-2.wav`)).toBeUndefined();

    app.clock.advance(EXPORT_RETRY_POLICY.initialDelayMs);
    await app.jobs.runDueJobs();
    expect(gcs.object('exports', `${prefix}/ujet-voicemails/call-g-2.wav`)?.bytes.equals(bytes)).toBe(true);
    expect(await exportOf(tenantId, 'g-2')).toMatchObject({ status: 'exported', attempts: 2, lastError: null, sha256: sha256(bytes) });
  });
});
