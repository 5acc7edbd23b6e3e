import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { ConsentModule } from '../consent/consent.module';
import { SendingModule } from '../sending/sending.module';
import { RepliesRepository } from './replies.repository';
import { RepliesService } from './replies.service';
import { TwilioInboundController } from './twilio-inbound.controller';

@Module({
  imports: [ChannelsModule, SendingModule, ConsentModule],
  controllers: [TwilioInboundController],
  providers: [RepliesRepository, RepliesService],
  exports: [RepliesService],
})
export class RepliesModule {}
