import { Module } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { ChannelsModule } from '../channels/channels.module';
import { OutboundMessagingConfig } from '../config';
import { MessagesModule } from '../messages/messages.module';
import { MessagingProviderFactory, simulatorTargetFromEnv } from '../providers/provider-factory';
import { MessageSender } from './message-sender.service';
import { SendingRepository } from './sending.repository';
import { StatusCallbacks } from './status-callbacks';

@Module({
  imports: [ChannelsModule, MessagesModule],
  providers: [
    SendingRepository,
    StatusCallbacks,
    MessageSender,
    {
      provide: MessagingProviderFactory,
      inject: [OutboundHttpClient, OutboundMessagingConfig],
      useFactory: (http: OutboundHttpClient, config: OutboundMessagingConfig) => new MessagingProviderFactory(http, simulatorTargetFromEnv(config)),
    },
  ],
  exports: [MessagingProviderFactory, StatusCallbacks],
})
export class SendingModule {}
