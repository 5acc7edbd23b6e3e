import { Module } from '@nestjs/common';
import { ConfigurationsModule } from '../configurations/configurations.module';
import { MessagesModule } from '../messages/messages.module';
import { InvokeRateLimitRepository } from './invoke-rate-limit.repository';
import { InvokeController } from './invoke.controller';
import { InvokeService } from './invoke.service';

@Module({
  imports: [ConfigurationsModule, MessagesModule],
  controllers: [InvokeController],
  providers: [InvokeService, InvokeRateLimitRepository],
})
export class InvokeModule {}
