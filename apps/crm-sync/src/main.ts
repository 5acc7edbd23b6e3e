import { startServiceApp } from '@switchboard/platform';
import { loadConfigOrExit } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { crmSyncEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(crmSyncEnv);
  await startServiceApp({
    name: 'crm-sync',
    module: AppModule,
    config,
    openApi: { title: 'Switchboard crm-sync', description: 'Custom-CRM API engine, IVR data dip, lookup URLs and session outcome e-mails.', version: '1.0' },
  });
}

void main();
