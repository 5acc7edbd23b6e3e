import { Module } from '@nestjs/common';
import { ConfigurationsModule } from '../configurations/configurations.module';
import { SettingsModule } from '../settings/settings.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';

@Module({ imports: [ConfigurationsModule, SettingsModule], controllers: [DeliveriesController], providers: [DeliveriesRepository, DeliveriesService] })
export class DeliveriesModule {}
