import { startServiceApp } from '@switchboard/platform';
import { loadConfigOrExit } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { proactiveDeliveryEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(proactiveDeliveryEnv);
  await startServiceApp({
    name: 'proactive-delivery',
    module: AppModule,
    config,
    openApi: { title: 'Switchboard proactive-delivery', description: 'Wire-compatible CCaaS_CreateProactiveVoiceDelivery API: consent, contact hours and dialing inside time windows.', version: '1.0' },
  });
}

void main();
