import { Module } from '@nestjs/common';
import { ConfigurationsModule } from '../configurations/configurations.module';
import { ConsentModule } from '../consent/consent.module';
import { SettingsModule } from '../settings/settings.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';

@Module({ imports: [ConfigurationsModule, ConsentModule, SettingsModule], controllers: [DeliveriesController], providers: [DeliveriesService] })
export class DeliveriesModule {}
