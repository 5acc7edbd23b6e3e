import { startServiceApp } from '@switchboard/platform';
import { loadConfigOrExit } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { storageExportEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(storageExportEnv);
  await startServiceApp({
    name: 'storage-export',
    module: AppModule,
    config,
    openApi: { title: 'Switchboard storage-export', description: 'Session metadata, recordings, transcripts and media exported to SFTP and cloud buckets.', version: '1.0' },
  });
}

void main();
