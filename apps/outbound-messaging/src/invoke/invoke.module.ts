import { Module } from '@nestjs/common';
import { ConfigurationsModule } from '../configurations/configurations.module';
import { ConsentModule } from '../consent/consent.module';
import { MessagesModule } from '../messages/messages.module';
import { ConfigurationLoader } from './configuration-loader';
import { InvokeRateLimitRepository } from './invoke-rate-limit.repository';
import { InvokeController } from './invoke.controller';
import { InvokeService } from './invoke.service';

@Module({
  imports: [ConfigurationsModule, MessagesModule, ConsentModule],
  controllers: [InvokeController],
  providers: [InvokeService, InvokeRateLimitRepository, ConfigurationLoader],
  exports: [ConfigurationLoader],
})
export class InvokeModule {}
