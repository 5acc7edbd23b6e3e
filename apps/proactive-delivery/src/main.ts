import { runService } from '@switchboard/platform';
import manifest from '../service.json';
import { AppModule } from './app.module';
import { ProactiveDeliveryConfig } from './config';

void runService({ manifest, module: AppModule, config: ProactiveDeliveryConfig });
