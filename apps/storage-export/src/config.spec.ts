import { describe, expect, it } from 'vitest';
import { storageExportEnv } from './config';

const required = { PORT: '3004', KAFKA_BROKERS: '127.0.0.1:9092', SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('storage-export configuration', () => {
  it('SE3.1 METADATA_EXPORT_DELAY_SEC defaults to 15 minutes and takes whole seconds', () => {
    expect(storageExportEnv.parse(required).METADATA_EXPORT_DELAY_SEC).toBe(900);
    expect(storageExportEnv.parse({ ...required, METADATA_EXPORT_DELAY_SEC: '3' }).METADATA_EXPORT_DELAY_SEC).toBe(3);
    expect(storageExportEnv.parse({ ...required, METADATA_EXPORT_DELAY_SEC: '0' }).METADATA_EXPORT_DELAY_SEC).toBe(0);
  });

  it.each(['-1', '1.5', 'soon', String(7 * 24 * 3600 + 1)])('SE3.1 refuses METADATA_EXPORT_DELAY_SEC=%s', (value) => {
    const result = storageExportEnv.safeParse({ ...required, METADATA_EXPORT_DELAY_SEC: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['METADATA_EXPORT_DELAY_SEC']);
  });
});
