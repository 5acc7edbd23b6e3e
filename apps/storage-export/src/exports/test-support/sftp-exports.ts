import { startSftpServer, type SftpServer } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportSettings } from '../export-settings';
import { type ExportsTestApp, startExportsTestApp } from './exports-test-app';
import { FileSourceServer } from './file-source-server';
import { testExportSettings } from './test-export-settings';

/** What an export pipeline spec runs against: an SFTP destination, a server of the files to export, the app. */
export interface SftpExports {
  sftp: SftpServer;
  source: FileSourceServer;
  app: ExportsTestApp;
  close(): Promise<void>;
}

export async function startSftpExports(): Promise<SftpExports> {
  const [sftp, source] = await Promise.all([startSftpServer(), FileSourceServer.start()]);
  const app = await startExportsTestApp();
  return {
    sftp,
    source,
    app,
    async close() {
      await app.close();
      await Promise.all([sftp.stop(), source.stop()]);
    },
  };
}

/** A new tenant exporting (every kind unless told) to its own folder on the SFTP server, which the administrator made. */
export async function sftpExportTenant(sftp: SftpServer, overrides: Partial<ExportSettings> = {}): Promise<{ tenantId: string; folder: string }> {
  const tenantId = randomUUID();
  const folder = `exports-${tenantId.slice(0, 8)}`;
  await mkdir(join(sftp.rootDir, folder), { mode: 0o777 });
  await chmod(join(sftp.rootDir, folder), 0o777);
  testExportSettings.set(tenantId, {
    enabled: overrides.enabled ?? true,
    kinds: overrides.kinds ?? ['recording', 'voicemail', 'transcript', 'media', 'metadata'],
    sendToCrm: overrides.sendToCrm ?? false,
    destination: { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint, folderPath: folder },
  });
  return { tenantId, folder };
}
