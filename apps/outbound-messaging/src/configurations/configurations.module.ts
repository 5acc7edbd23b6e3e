import { Module } from '@nestjs/common';
import { ConfigurationChanges } from './configuration-changes';
import { ConfigurationsController } from './configurations.controller';
import { ConfigurationsRepository } from './configurations.repository';
import { ConfigurationsService } from './configurations.service';

@Module({
  controllers: [ConfigurationsController],
  providers: [ConfigurationsRepository, ConfigurationsService, ConfigurationChanges],
  exports: [ConfigurationsService, ConfigurationChanges],
})
export class ConfigurationsModule {}
