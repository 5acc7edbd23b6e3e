import { Module } from '@nestjs/common';
import { ConfigurationsController } from './configurations.controller';
import { ConfigurationsRepository } from './configurations.repository';
import { ConfigurationsService } from './configurations.service';

@Module({
  controllers: [ConfigurationsController],
  providers: [ConfigurationsRepository, ConfigurationsService],
  exports: [ConfigurationsService],
})
export class ConfigurationsModule {}
