import { Module } from '@nestjs/common';
import { VoiceRuntimeModule } from '../voice-runtime/voice-runtime.module';
import { ConfigurationsController } from './configurations.controller';
import { ConfigurationsService } from './configurations.service';

@Module({ imports: [VoiceRuntimeModule], controllers: [ConfigurationsController], providers: [ConfigurationsService], exports: [ConfigurationsService] })
export class ConfigurationsModule {}
