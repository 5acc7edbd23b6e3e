import { describe, expect, it, vi } from 'vitest';
import type { StorageExportConfig } from '../config';
import { ConfiguredDestinationFactory } from './configured-destination-factory';
import { DestinationError } from './storage-destination';

// Records when a bucket SDK is first evaluated (the mocks pass the real modules through).
const loaded = vi.hoisted(() => ({ s3: false, gcs: false }));
vi.mock('@aws-sdk/client-s3', async (importOriginal) => {
  loaded.s3 = true;
  return importOriginal();
});
vi.mock('@google-cloud/storage', async (importOriginal) => {
  loaded.gcs = true;
  return importOriginal();
});

const config = { OUTBOUND_HTTP_ALLOW: [], SFTP_SESSIONS_PER_DESTINATION: 1, DESTINATION_TIMEOUT_MS: 5_000, GCS_API_ENDPOINT: 'https://storage.googleapis.com', GCS_TOKEN_URL: 'https://oauth2.googleapis.com/token' } as unknown as StorageExportConfig;

describe('ConfiguredDestinationFactory: bucket SDKs loaded on first use (RSS)', () => {
  it('opening destinations and asking their URLs loads no bucket SDK; the first S3 call loads the S3 one only', async () => {
    const factory = new ConfiguredDestinationFactory(config);
    const sftp = factory.open({ backend: 'sftp', host: 'sftp.example.com', port: 22, username: 'u', password: 'p', folderPath: 'exports' });
    const s3 = factory.open({ backend: 's3', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true, folderPath: 'x' });
    const gcs = factory.open({ backend: 'gcs', bucket: 'g', clientEmail: 'e@example.com', privateKey: 'k', folderPath: 'y' });

    expect([sftp.backend, s3.backend, gcs.backend]).toEqual(['sftp', 's3', 'gcs']);
    expect(s3.urlOf('ujet-voicemails/a b.mp3')).toBe('http://127.0.0.1:9/b/x/ujet-voicemails/a%20b.mp3');
    expect(gcs.urlOf('ujet-voicemails/a.mp3')).toBe('https://storage.cloud.google.com/g/y/ujet-voicemails/a.mp3');
    expect(loaded).toEqual({ s3: false, gcs: false });

    // A loopback endpoint is outside the (empty) allow-list: refused before any request, after the SDK loaded.
    const failure = await s3.probe().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DestinationError);
    expect((failure as DestinationError).kind).toBe('address_refused');
    expect(loaded).toEqual({ s3: true, gcs: false });

    await Promise.all([sftp.close(), s3.close(), gcs.close()]);
    expect(loaded.gcs).toBe(false);
    await expect(s3.probe()).rejects.toThrow('closed');
  });
});
