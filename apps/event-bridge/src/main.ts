import { startServiceApp } from '@switchboard/platform';
import { loadConfigOrExit } from '@switchboard/service-kit';
import { AppModule } from './app.module';
import { eventBridgeEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(eventBridgeEnv);
  await startServiceApp({
    name: 'event-bridge',
    module: AppModule,
    config,
    openApi: { title: 'Switchboard event-bridge', description: 'Agent-adapter events in, Kafka out, screen pops pushed to agent pages.', version: '1.0' },
  });
}

void main();
