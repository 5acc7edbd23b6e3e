import { Module } from '@nestjs/common';
import { VoiceRuntimeModule } from '../voice-runtime/voice-runtime.module';
import { ConfigurationsController } from './configurations.controller';
import { ConfigurationsRepository } from './configurations.repository';
import { ConfigurationsService } from './configurations.service';

@Module({ imports: [VoiceRuntimeModule], controllers: [ConfigurationsController], providers: [ConfigurationsRepository, ConfigurationsService], exports: [ConfigurationsService] })
export class ConfigurationsModule {}
