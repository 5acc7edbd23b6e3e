import { startServiceApp } from '@switchboard/platform';
import { loadConfigOrExit } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { outboundMessagingEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(outboundMessagingEnv);
  await startServiceApp({
    name: 'outbound-messaging',
    module: AppModule,
    config,
    openApi: { title: 'Switchboard outbound-messaging', description: 'SMS and WhatsApp templates, outbound configurations, automated, instant and scheduled sends.', version: '1.0' },
  });
}

void main();
