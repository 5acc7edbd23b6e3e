import { Module } from '@nestjs/common';
import { SendSignal } from '../sending/send-signal';
import { MessagesRepository } from './messages.repository';

@Module({
  providers: [MessagesRepository, SendSignal],
  exports: [MessagesRepository, SendSignal],
})
export class MessagesModule {}
