import { bootstrapService } from '@switchboard/service-kit';
import manifest from '../service.json';
import { AppModule } from './app.module';
import { ProactiveDeliveryConfig } from './config';

void bootstrapService({
  name: manifest.name,
  module: AppModule,
  config: ProactiveDeliveryConfig.loadOrExit({ defaults: { PORT: manifest.port } }),
  openApi: { title: manifest.title, description: manifest.description, version: '1.0' },
});
