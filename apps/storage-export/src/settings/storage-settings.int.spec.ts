import { Role } from '@switchboard/auth';
import { SecretBox } from '@switchboard/persistence';
import { type ServiceTestApp, startServiceTestApp } from '@switchboard/platform/test-support';
import { GcsSimulator, type S3Server, type ServiceAccountKeyFile, type SftpServer, startS3Server, startSftpServer } from '@switchboard/testing';
import { generateKeyPairSync } from 'node:crypto';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppModule } from '../app.module';
import { StorageExportConfig } from '../config';
import { PrismaService } from '../database/prisma.service';
import { StorageSettingsRepository } from './storage-settings.repository';
import { StorageSettingsService } from './storage-settings.service';

const TENANT_A = '5c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const TENANT_B = '6d2e3f4a-5b6c-4d7e-9f80-91a2b3c4d5e6';
const PATH = '/storage-export/settings';

describe('storage-export settings API: Connect and save (SE1, SE1.3, P2.4 write-only secrets, P2.5)', () => {
  let app: ServiceTestApp<StorageExportConfig>;
  let prisma: PrismaService;
  let sftp: SftpServer;
  let s3: S3Server;
  let gcs: GcsSimulator;
  let gcsKey: ServiceAccountKeyFile;

  beforeAll(async () => {
    [sftp, s3, gcs] = await Promise.all([startSftpServer(), startS3Server({ buckets: ['exports'] }), GcsSimulator.start({ buckets: ['gcs-exports'] })]);
    gcsKey = gcs.createServiceAccount();
    gcs.createBucket('gcs-locked', ['someone-else@switchboard-local.iam.gserviceaccount.com']);
    const owner = await stat(sftp.rootDir);
    await mkdir(join(sftp.rootDir, 'drop'));
    await chown(join(sftp.rootDir, 'drop'), owner.uid, owner.gid);
    await mkdir(join(sftp.rootDir, 'locked'), { mode: 0o555 });
    // Only 127.0.0.1 is allow-listed: every other loopback, private or metadata address stays refused.
    app = await startServiceTestApp({
      service: 'storage-export',
      module: AppModule,
      config: StorageExportConfig,
      env: { SECRETS_ENCRYPTION_KEY: SecretBox.generateKey(), SHUTDOWN_GRACE_MS: '1000', OUTBOUND_HTTP_ALLOW: '127.0.0.1/32', DESTINATION_TIMEOUT_MS: '5000', GCS_API_ENDPOINT: gcs.url, GCS_TOKEN_URL: gcs.tokenUri },
    });
    prisma = app.app.get(PrismaService);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([sftp?.stop(), s3?.stop(), gcs?.close()]);
  });
  beforeEach(() => prisma.storageSettings.deleteMany({}));

  const sftpDestination = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint, ...overrides });
  const s3Destination = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ backend: 's3', endpoint: s3.endpoint, region: s3.region, bucket: 'exports', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...overrides });
  const gcsDestination = (overrides: Record<string, unknown> = {}, key: Partial<ServiceAccountKeyFile> = {}): Record<string, unknown> => ({ backend: 'gcs', bucket: 'gcs-exports', serviceAccountKey: { ...gcsKey, ...key }, ...overrides });
  const connect = (body: unknown, tenantId = TENANT_A, roles: Role[] = [Role.Administrator]) => app.call(`${PATH}/connect`, { method: 'POST', tenantId, roles, body: JSON.stringify(body) });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; details?: { field?: string }[] } }).error;

  it('SE1.1 SE1.3 SFTP with a key: probed, saved with defaults; secrets sealed, never returned; no probe file left', async () => {
    const response = await connect({ folderPath: 'drop', destination: sftpDestination() });

    expect(response.status).toBe(200);
    const view = await response.json();
    expect(view).toMatchObject({
      enabled: true,
      fileKinds: ['recordings', 'voicemails', 'transcripts', 'media', 'metadata'],
      folderPath: 'drop',
      alsoSendToCrm: false,
      urlSource: 'external_storage',
      destination: { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, hostKeyFingerprint: sftp.hostKeyFingerprint, privateKeySet: true, passphraseSet: true, passwordSet: false },
    });
    const shown = JSON.stringify(view) + JSON.stringify(await (await app.call(PATH, { method: 'GET', tenantId: TENANT_A, roles: [Role.Administrator] })).json());
    expect(shown).not.toContain(sftp.passphrase);
    expect(shown).not.toContain('PRIVATE KEY');
    const row = await prisma.storageSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } });
    expect(row.secretsSealed).toMatch(/^v1:/);
    expect(row.secretsSealed + JSON.stringify(row.destination)).not.toContain(sftp.passphrase);
    expect(await readdir(join(sftp.rootDir, 'drop'))).toEqual([]);
  });

  it('SE1.2 S3-compatible: probed and saved; the secret key is write-only', async () => {
    const response = await connect({ folderPath: 'tenant-a', fileKinds: ['recordings', 'metadata'], destination: s3Destination() });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ fileKinds: ['recordings', 'metadata'], destination: { backend: 's3', bucket: 'exports', accessKeyId: s3.accessKeyId, secretAccessKeySet: true, forcePathStyle: true } });
  });

  it('SE1.2 Google Cloud Storage: probed through the token exchange and saved; the service account key is sealed and write-only', async () => {
    const response = await connect({ folderPath: 'tenant-a', destination: gcsDestination() });

    expect(response.status).toBe(200);
    const view = await response.json();
    expect(view).toMatchObject({ destination: { backend: 'gcs', bucket: 'gcs-exports', clientEmail: gcsKey.client_email, projectId: gcsKey.project_id, privateKeyId: gcsKey.private_key_id, privateKeySet: true } });
    const row = await prisma.storageSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } });
    expect(JSON.stringify(view) + JSON.stringify(row.destination) + row.secretsSealed).not.toContain('PRIVATE KEY');
    expect(gcs.objectNames('gcs-exports')).toEqual([]);
    expect(gcs.requests.some((request) => request.path === '/token' && request.status === 200)).toBe(true);

    // Left out, the key is kept for the same bucket and account…
    const kept = await connect({ folderPath: 'tenant-a', enabled: false, destination: { backend: 'gcs', bucket: 'gcs-exports', clientEmail: gcsKey.client_email } });
    expect(kept.status).toBe(200);
    expect(await kept.json()).toMatchObject({ enabled: false, destination: { privateKeySet: true, privateKeyId: gcsKey.private_key_id } });
    // …and never presented for another account.
    const other = await connect({ folderPath: 'tenant-a', destination: { backend: 'gcs', bucket: 'gcs-exports', clientEmail: 'other@switchboard-local.iam.gserviceaccount.com' } });
    expect(other.status).toBe(400);
    expect((await errorOf(other)).details?.map((detail) => detail.field)).toContain('destination.serviceAccountKey');
  });

  it.each([
    ['a missing bucket', 'BucketMissing', () => gcsDestination({ bucket: 'no-such-bucket' })],
    ['a key Google does not know for the account (signature refused)', 'AuthRefused', () => gcsDestination({}, { private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })],
    ['an unknown service account', 'AuthRefused', () => gcsDestination({}, { client_email: 'ghost@switchboard-local.iam.gserviceaccount.com' })],
    ['a bucket the account may not write', 'PermissionDenied', () => gcsDestination({ bucket: 'gcs-locked' })],
  ])('SE1.3 GCS %s → 422 %s, nothing saved', async (_case, code, destination) => {
    const response = await connect({ folderPath: 'tenant-a', destination: destination() });

    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(await prisma.storageSettings.count()).toBe(0);
  });

  it.each([
    ['auth refused (wrong password)', () => sftpDestination({ privateKey: undefined, passphrase: undefined, password: 'not-the-password' }), 'drop', 'AuthRefused'],
    ['host key mismatch', () => sftpDestination({ hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' }), 'drop', 'HostKeyMismatch'],
    ['host unreachable', () => sftpDestination({ port: 1 }), 'drop', 'HostUnreachable'],
    ['folder missing', () => sftpDestination(), 'no/such/folder', 'FolderMissing'],
    ['permission denied', () => sftpDestination(), 'locked', 'PermissionDenied'],
    ['bucket missing', () => s3Destination({ bucket: 'no-such-bucket' }), 'tenant-a', 'BucketMissing'],
    ['S3 auth refused', () => s3Destination({ secretAccessKey: 'wrong-secret' }), 'tenant-a', 'AuthRefused'],
    ['a host on a private address', () => sftpDestination({ host: '10.1.2.3' }), 'drop', 'AddressNotAllowed'],
    ['cloud metadata as the S3 endpoint', () => s3Destination({ endpoint: 'http://169.254.169.254' }), 'tenant-a', 'AddressNotAllowed'],
    ['IPv6 loopback outside the allow-list', () => s3Destination({ endpoint: `http://[::1]:${new URL(s3.endpoint).port}` }), 'tenant-a', 'AddressNotAllowed'],
  ])('SE1.3 %s → 422 %s, nothing saved', async (_case, destination, folderPath, code) => {
    const response = await connect({ folderPath, destination: destination() });

    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(sftp.passphrase);
    expect(await prisma.storageSettings.count()).toBe(0);
  });

  it('P2.4 a left-out secret keeps the stored one for the same host and user, but is never reused for another host', async () => {
    expect((await connect({ folderPath: 'drop', destination: sftpDestination({ privateKey: undefined, passphrase: undefined, password: sftp.password ?? 'unused' }) })).status).toBe(sftp.password ? 200 : 422);
    if (!sftp.password) return;
    const { password: _password, ...withoutPassword } = sftpDestination({ privateKey: undefined, passphrase: undefined });

    expect((await connect({ folderPath: 'drop', enabled: false, destination: withoutPassword })).status).toBe(200);
    expect((await prisma.storageSettings.findUniqueOrThrow({ where: { tenantId: TENANT_A } })).enabled).toBe(false);
    const elsewhere = await connect({ folderPath: 'drop', destination: { ...withoutPassword, host: 'sftp.example.com' } });
    expect(elsewhere.status).toBe(400);
    expect((await errorOf(elsewhere)).details?.map((detail) => detail.field)).toContain('destination.password');
  });

  it('P1.1 P1.3 administrators only (403), a token is needed (401), each tenant sees only its own settings (404)', async () => {
    expect((await connect({ folderPath: 'drop', destination: sftpDestination() })).status).toBe(200);

    expect((await connect({ folderPath: 'drop', destination: sftpDestination() }, TENANT_A, [Role.OmnichannelSupervisor])).status).toBe(403);
    expect((await app.call(PATH, { method: 'GET', tenantId: TENANT_A, roles: [Role.OmnichannelAgent] })).status).toBe(403);
    expect((await fetch(`${app.url}${PATH}`)).status).toBe(401);
    const other = await app.call(PATH, { method: 'GET', tenantId: TENANT_B, roles: [Role.Administrator] });
    expect(other.status).toBe(404);
    expect((await errorOf(other)).code).toBe('StorageExportNotConfigured');
  });

  it.each([
    ['a folder path with ..', { folderPath: 'drop/../../etc' }, 'folderPath'],
    ['a folder path with a backslash', { folderPath: 'drop\\x' }, 'folderPath'],
    ['a folder path with a control character', { folderPath: 'drop\u0001' }, 'folderPath'],
    ['an absolute prefix in a bucket', { folderPath: '/abs', destination: { backend: 's3', region: 'us-east-1', bucket: 'exports', accessKeyId: 'k', secretAccessKey: 's' } }, 'folderPath'],
    ['an unknown file kind', { fileKinds: ['recordings', 'faxes'] }, 'fileKinds[1]'],
    ['a file kind twice', { fileKinds: ['media', 'media'] }, 'fileKinds'],
    ['CRM links without sending files to the CRM (SE1.5)', { urlSource: 'crm', alsoSendToCrm: false }, 'urlSource'],
    ['an unknown backend', { destination: { backend: 'ftp', host: 'h' } }, 'destination.backend'],
    ['a malformed fingerprint', { destination: { backend: 'sftp', host: 'h.example.com', username: 'u', password: 'p', hostKeyFingerprint: 'MD5:aa:bb' } }, 'destination.hostKeyFingerprint'],
    ['a port out of range', { destination: { backend: 'sftp', host: 'h.example.com', port: 70000, username: 'u', password: 'p' } }, 'destination.port'],
    ['a host that is no host name', { destination: { backend: 'sftp', host: 'a b/c', username: 'u', password: 'p' } }, 'destination.host'],
    ['no password or key', { destination: { backend: 'sftp', host: 'h.example.com', username: 'u' } }, 'destination.password'],
    ['a private key that is none', { destination: { backend: 'sftp', host: 'h.example.com', username: 'u', privateKey: 'hunter2' } }, 'destination.privateKey'],
    ['an S3 endpoint with a path', { destination: { backend: 's3', endpoint: 'https://s3.example.com/x', region: 'us-east-1', bucket: 'exports', accessKeyId: 'k', secretAccessKey: 's' } }, 'destination.endpoint'],
    ['an S3 endpoint that is a file URL', { destination: { backend: 's3', endpoint: 'file:///etc/passwd', region: 'us-east-1', bucket: 'exports', accessKeyId: 'k', secretAccessKey: 's' } }, 'destination.endpoint'],
    ['a bad bucket name', { destination: { backend: 's3', region: 'us-east-1', bucket: 'Bad_Bucket!', accessKeyId: 'k', secretAccessKey: 's' } }, 'destination.bucket'],
    ['an unknown field', { destination: { backend: 'sftp', host: 'h.example.com', username: 'u', password: 'p', proxy: 'x' } }, 'destination.proxy'],
    ['no destination', { destination: undefined }, 'destination'],
    ['a GCS bucket name Google reserves', { folderPath: 'x', destination: { backend: 'gcs', bucket: 'goog-exports', clientEmail: 'a@b.iam.gserviceaccount.com' } }, 'destination.bucket'],
    ['a GCS key that is no service account key', { folderPath: 'x', destination: { backend: 'gcs', bucket: 'exports', serviceAccountKey: { type: 'authorized_user', client_email: 'a@b.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----' } } }, 'destination.serviceAccountKey.type'],
    ['a GCS key whose private_key is no PEM key', { folderPath: 'x', destination: { backend: 'gcs', bucket: 'exports', serviceAccountKey: { type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com', private_key: 'hunter2' } } }, 'destination.serviceAccountKey.private_key'],
    ['GCS without a key nor clientEmail', { folderPath: 'x', destination: { backend: 'gcs', bucket: 'exports' } }, 'destination.serviceAccountKey'],
    ['a GCS clientEmail that is not the key file\'s', { folderPath: 'x', destination: { backend: 'gcs', bucket: 'exports', clientEmail: 'b@c.iam.gserviceaccount.com', serviceAccountKey: { type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----' } } }, 'destination.clientEmail'],
    ['a GCS folder path starting with /', { folderPath: '/abs', destination: { backend: 'gcs', bucket: 'exports', clientEmail: 'a@b.iam.gserviceaccount.com' } }, 'folderPath'],
  ])('P2.1 %s → 400 naming the field, nothing saved', async (_case, override, field) => {
    const response = await connect({ folderPath: 'drop', destination: sftpDestination(), ...override });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.map((detail) => detail.field)).toContain(field);
    expect(await prisma.storageSettings.count()).toBe(0);
  });

  it('SE3.3 the pipeline gets the tenant destination, kept open between files and replaced when the settings change', async () => {
    const service = app.app.get(StorageSettingsService);
    expect(await service.destinationFor(TENANT_A)).toBeUndefined();
    await connect({ folderPath: 'drop', destination: sftpDestination() });

    const destination = await service.destinationFor(TENANT_A);
    expect(await service.destinationFor(TENANT_A)).toBe(destination);
    await destination!.put({ path: 'ujet-chat-transcripts/chat-1.txt', content: Readable.from([Buffer.from('hello')]), contentType: 'text/plain' });
    expect(await readdir(join(sftp.rootDir, 'drop', 'ujet-chat-transcripts'))).toEqual(['chat-1.txt']);
    expect(await service.exportSettingsFor(TENANT_A)).toMatchObject({ tenantId: TENANT_A, enabled: true, backend: 'sftp', folderPath: 'drop' });

    await connect({ folderPath: 'tenant-a', destination: s3Destination() });
    expect((await service.destinationFor(TENANT_A))?.backend).toBe('s3');
  });

  it('SE3.3 an export job gets the settings and the open destination from one read of the settings row', async () => {
    const service = app.app.get(StorageSettingsService);
    await connect({ folderPath: 'drop', destination: sftpDestination() });
    const destination = await service.destinationFor(TENANT_A);
    const reads = vi.spyOn(app.app.get(StorageSettingsRepository), 'find');

    const target = await service.exportTargetFor(TENANT_A);

    expect(target?.settings).toMatchObject({ tenantId: TENANT_A, enabled: true, backend: 'sftp', folderPath: 'drop' });
    expect(target?.destination).toBe(destination);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    expect(await service.exportTargetFor(TENANT_B)).toBeUndefined();
  });
});
