import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { ConsentModule } from '../consent/consent.module';
import { SendingModule } from '../sending/sending.module';
import { MessagesModule } from '../messages/messages.module';
import { HelpAnswersRepository } from './help-answers.repository';
import { RepliesRepository } from './replies.repository';
import { RepliesService } from './replies.service';
import { TwilioInboundController } from './twilio-inbound.controller';

@Module({
  imports: [ChannelsModule, SendingModule, ConsentModule, MessagesModule],
  controllers: [TwilioInboundController],
  providers: [RepliesRepository, HelpAnswersRepository, RepliesService],
  exports: [RepliesService],
})
export class RepliesModule {}
