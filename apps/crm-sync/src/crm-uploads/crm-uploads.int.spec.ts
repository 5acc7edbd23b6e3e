import { Role } from '@switchboard/auth';
import { type FileForCrm, StorageExportEventTypes, Topics } from '@switchboard/contracts';
import { CrmSimulator, crmSimulatorEndpoints, eventually } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowTestKit, SIMULATOR_AUTH, sessionEvents } from '../session-flows/test-support/flow-test-kit';
import { fileUploadKey, fileUploadQueue } from './file-upload-queue';
import { DownloadLinkServer } from './test-support/download-link-server';

// The CRM simulator and the download links listen on 127.0.0.2, the only allow-listed address (P2.5).
const HOST = '127.0.0.2';
const RECORDING = Buffer.from(Array.from({ length: 3000 }, (_, index) => (index * 7) % 256));

describe('CS2.6 files handed over by storage-export (storage.export.v1 FileForCrm) uploaded to the CRM record', () => {
  let kit: FlowTestKit;
  let sim: CrmSimulator;
  let links: DownloadLinkServer;

  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: HOST, auth: SIMULATOR_AUTH });
    links = await DownloadLinkServer.start(HOST);
    kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${HOST}/32` });
  }, 90_000);
  afterAll(async () => {
    await kit?.close();
    await links?.close();
    await sim?.close();
  });

  const tenantWith = (upload: Record<string, unknown>, flowSettings: Record<string, unknown> = {}, parameters: Record<string, string> = { file: '{FILE_DATA}' }) => {
    const endpoints = crmSimulatorEndpoints(sim.url);
    return kit.tenantWith(sim, flowSettings, { endpoints: { ...endpoints, uploadFile: { ...endpoints.uploadFile, parameters, upload } } });
  };

  /** A session whose account and record exist in the simulator; returns the record's id. */
  async function sessionWithRecord(tenantId: string, sessionId: string, phone: string): Promise<string> {
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: phone, name: `Upload ${phone}` } }), sessionEvents.agentAssigned(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    const flow = await eventually(async () => (await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId, recordId: { not: null } } })) ?? undefined, 'the record');
    return flow.recordId ?? '';
  }

  function fileForCrm(sessionId: string, bytes: Buffer, change: Partial<FileForCrm> = {}): { type: string; data: FileForCrm } {
    const link = links.serve(bytes);
    return {
      type: StorageExportEventTypes.fileForCrm,
      data: {
        sessionId,
        fileKind: 'recording',
        fileName: `call-${sessionId}.mp3`,
        contentType: 'audio/mpeg',
        size: link.size,
        sha256: link.sha256,
        download: { url: link.url, expiresAt: '2026-03-09T14:00:00.000Z' },
        storageUrl: `s3://recordings/ujet-voice-recordings/call-${sessionId}.mp3`,
        ...change,
      },
    };
  }

  const handOver = (tenantId: string, events: Array<{ type: string; data: FileForCrm }>) => kit.publish(tenantId, events, Topics.storageExport);
  const uploadJob = (tenantId: string, sessionId: string, fileName = `call-${sessionId}.mp3`) => kit.jobs.find(fileUploadQueue, fileUploadKey(tenantId, sessionId, fileName));
  const attachmentsOf = (recordId: string) => [...sim.store.attachments.values()].filter((attachment) => attachment.recordId === recordId);
  const commentsOf = (recordId: string) => sim.store.comments.filter((comment) => comment.recordId === recordId).map((comment) => String(comment.fields['body']));

  it('CS2.6 base64 form: the bytes read from the link reach the record once; attachment URL from the template; "add comment" comments it; a redelivered or re-sent FileForCrm uploads nothing more', async () => {
    const tenantId = await tenantWith({ form: 'base64', attachmentUrlTemplate: 'https://crm.example.com/records/{RECORD_ID}/files/{ATTACHMENT_ID}', addComment: true }, {}, { file: '{FILE_DATA}', name: '{FILE_NAME}', contentType: '{FILE_CONTENT_TYPE}' });
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    const recordId = await sessionWithRecord(tenantId, sessionId, '+12125550140');
    const handed = fileForCrm(sessionId, RECORDING);
    await handOver(tenantId, [handed]);
    await eventually(() => uploadJob(tenantId, sessionId), 'the upload job');
    await kit.jobs.runDueJobs();

    const [attachment, ...more] = attachmentsOf(recordId);
    expect(more).toEqual([]);
    expect(attachment?.data.equals(RECORDING)).toBe(true);
    const upload = sim.requests.find((request) => request.method === 'POST' && request.path === `/api/records/${recordId}/attachments`);
    expect(upload?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(upload?.body ?? '{}')).toEqual({ file: RECORDING.toString('base64'), name: `call-${sessionId}.mp3`, contentType: handed.data.contentType });
    expect(attachment).toMatchObject({ name: `call-${sessionId}.mp3`, contentType: handed.data.contentType });
    const attachmentUrl = `https://crm.example.com/records/${recordId}/files/${attachment?.id}`;
    expect(commentsOf(recordId)).toContain(`Call recording call-${sessionId}.mp3 attached: ${attachmentUrl}`);
    const row = await kit.prisma.crmFileUpload.findFirst({ where: { tenantId, sessionId } });
    expect(row).toMatchObject({ status: 'uploaded', attachmentId: attachment?.id, attachmentUrl, downloadUrl: null });

    const listed = await kit.app.call(`/crm/sessions/${sessionId}/uploads`, { tenantId, roles: [Role.Administrator] });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { uploads: unknown[] }).uploads).toEqual([expect.objectContaining({ fileName: `call-${sessionId}.mp3`, status: 'uploaded', attachmentId: attachment?.id, attachmentUrl, attempts: 1, lastError: null })]);
    const otherTenant = await kit.app.call(`/crm/sessions/${sessionId}/uploads`, { tenantId: randomUUID(), roles: [Role.Administrator] });
    expect(otherTenant.status).toBe(404);

    // The same event again (redelivery is the inbox's) and the same file handed over again as a new event.
    const resent = await handOver(tenantId, [fileForCrm(sessionId, RECORDING)]);
    await eventually(async () => {
      const rows = await kit.prisma.$queryRawUnsafe<{ count: number }[]>('SELECT count(*)::int AS count FROM crm_sync.inbox_event WHERE event_id = $1', resent[0]?.id);
      return rows[0]?.count === 1 ? true : undefined;
    }, 'the re-sent FileForCrm consumed');
    await kit.jobs.runDueJobs();
    expect(attachmentsOf(recordId)).toHaveLength(1);
  });

  it('CS2.6 CS2.8 multipart form against a failing CRM that recovers: retried durably (standard policy), attachment URL read from the answer, uploaded exactly once', async () => {
    const tenantId = await tenantWith({ form: 'multipart', attachmentUrlLocation: 'url', addComment: false }, { retryPolicy: 'standard' }, { file: '{FILE_DATA}', session: '{SESSION_ID}' });
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    const recordId = await sessionWithRecord(tenantId, sessionId, '+12125550141');
    sim.fail({ method: 'POST', pathPrefix: `/api/records/${recordId}/attachments`, status: 503, retryAfterSeconds: 120, times: 2 });
    await handOver(tenantId, [fileForCrm(sessionId, RECORDING)]);
    await eventually(() => uploadJob(tenantId, sessionId), 'the upload job');
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('uploadFile: the CRM answered 503') });
    expect(attachmentsOf(recordId)).toEqual([]);

    await kit.restart();
    kit.clock.advance(60_000);
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'pending', attempts: 1 });
    kit.clock.advance(60_000);
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'pending', attempts: 2 });
    kit.clock.advance(10 * 60_000);
    await kit.jobs.runDueJobs();

    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'succeeded', attempts: 3 });
    const [attachment, ...more] = attachmentsOf(recordId);
    expect(more).toEqual([]);
    expect(attachment).toMatchObject({ name: `call-${sessionId}.mp3`, contentType: 'audio/mpeg' });
    expect(attachment?.data.equals(RECORDING)).toBe(true);
    const sent = sim.requests.filter((request) => request.method === 'POST' && request.path === `/api/records/${recordId}/attachments`);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent[2]?.body).toContain(`name="session"\r\n\r\n${sessionId}`);
    expect(await kit.prisma.crmFileUpload.findFirst({ where: { tenantId, sessionId } })).toMatchObject({ status: 'uploaded', attachmentUrl: `${sim.url}/api/records/${recordId}/attachments/${attachment?.id}` });
    const calls = await kit.prisma.crmCall.findMany({ where: { tenantId, sessionId, endpoint: 'uploadFile' }, orderBy: { id: 'asc' } });
    expect(calls.map((call) => [call.outcome, call.httpStatus])).toEqual([['failed', 503], ['failed', 503], ['ok', 201]]);
  });

  it('CS2.6 a file handed over before the record exists waits for it; a corrupted download is retried, an expired link fails for good', async () => {
    const tenantId = await tenantWith({ form: 'base64', addComment: false }, { delayRecordUntilAgentAssigned: true });
    const sessionId = `call-${randomUUID().slice(0, 8)}`;
    await kit.publish(tenantId, [sessionEvents.started(sessionId, { endUser: { phoneNumber: '+12125550142', name: 'Early File' } })]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'account');
    const handed = fileForCrm(sessionId, RECORDING);
    links.corrupt.set(new URL(handed.data.download.url).pathname, 1);
    await handOver(tenantId, [handed]);
    await eventually(() => uploadJob(tenantId, sessionId), 'the upload job');
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'pending', lastError: 'waiting for the record to be created' });

    await kit.publish(tenantId, [sessionEvents.agentAssigned(sessionId)]);
    await kit.runStepsOnceScheduled(tenantId, sessionId, 'record');
    const recordId = (await kit.prisma.crmSessionFlow.findFirst({ where: { tenantId, sessionId } }))?.recordId ?? '';
    kit.clock.advance(30_000);
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId)).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/expected 3000 bytes with [0-9a-f]{64}/) });
    expect(attachmentsOf(recordId)).toEqual([]);
    kit.clock.advance(60_000);
    await kit.jobs.runDueJobs();
    expect(attachmentsOf(recordId).map((attachment) => attachment.data.equals(RECORDING))).toEqual([true]);

    const expired = fileForCrm(sessionId, RECORDING, { fileName: `call-${sessionId}-2.mp3`, download: { url: links.serve(RECORDING).url, expiresAt: '2026-03-02T13:00:00.000Z' } });
    await handOver(tenantId, [expired]);
    await eventually(() => uploadJob(tenantId, sessionId, expired.data.fileName), 'the second upload job');
    const getsBefore = links.gets.length;
    await kit.jobs.runDueJobs();
    expect(await uploadJob(tenantId, sessionId, expired.data.fileName)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('download link expired') });
    expect(links.gets.length).toBe(getsBefore);
    expect(attachmentsOf(recordId)).toHaveLength(1);
  });
});
