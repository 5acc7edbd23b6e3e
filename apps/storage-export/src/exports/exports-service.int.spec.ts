import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Role } from '@switchboard/auth';
import { ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import { SecretBox } from '@switchboard/persistence';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { eventually, startS3Server, type S3Server } from '@switchboard/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../app.module';
import { StorageExportConfig } from '../config';
import { PrismaService } from '../database/prisma.service';
import { sessionEndedData } from './session-ended.fixtures';
import { FileSourceServer } from './test-support/file-source-server';

let s3: S3Server;
let source: FileSourceServer;
let app: ServiceTestApp<StorageExportConfig>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  [s3, source] = await Promise.all([startS3Server({ buckets: ['exports'] }), FileSourceServer.start()]);
  app = await startServiceTestApp({
    service: 'storage-export',
    module: AppModule,
    config: StorageExportConfig,
    env: { SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(), OUTBOUND_HTTP_ALLOW: '127.0.0.1/32', JOBS_POLL_INTERVAL_MS: '0' },
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([s3?.stop(), source?.stop()]);
});

describe('the service exports with the settings an administrator saved (SE1, SE2, SE3)', () => {
  it('SE1.1 SE2.2 SE3.3 after "Connect and save" to an S3 bucket, an ended session\'s recording lands at {folder}/ujet-voice-recordings/call-{id}.mp3', async () => {
    const tenantId = randomUUID();
    const saved = await app.call('/storage-export/settings/connect', {
      method: 'POST',
      tenantId,
      roles: [Role.Administrator],
      body: JSON.stringify({ folderPath: 'tenant-exports', fileKinds: ['recordings'], destination: { backend: 's3', endpoint: s3.endpoint, region: s3.region, bucket: 'exports', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const bytes = randomBytes(200_000);
    const url = source.put(`/rec/${tenantId}.mp3`, bytes, 'audio/mpeg');
    const publisher = app.app.get(OutboxPublisher);
    const prisma = app.app.get(PrismaService);
    const ended = sessionEndedData({ sessionId: 's3-1', recordings: [{ id: 'r', url, contentType: 'audio/mpeg' }] });
    const event = publisher.event({ type: ContactSessionEventTypes.ended, subject: 's3-1', tenantId, data: ended });
    await prisma.transaction((tx) => publisher.enqueue(tx, [{ topic: Topics.contactSession, key: 's3-1', event }]));
    await eventually(async () => ((await prisma.exportFile.count({ where: { tenantId } })) === 1 ? true : undefined), 'the planned recording (metadata is not among the kinds)');

    await app.app.get(JobsService).runDueJobs();

    const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const object = await client.send(new GetObjectCommand({ Bucket: 'exports', Key: 'tenant-exports/ujet-voice-recordings/call-s3-1.mp3' }));
    expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(bytes));
    client.destroy();
    const file = await prisma.exportFile.findFirstOrThrow({ where: { tenantId } });
    expect(file).toMatchObject({ status: 'exported', sha256: sha256(bytes), attempts: 1 });
  }, 60_000);
});
