import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { DeliveryReportsModule } from '../delivery-reports/delivery-reports.module';
import { RepliesModule } from '../replies/replies.module';
import { SendingModule } from '../sending/sending.module';
import { AcsEventsController } from './acs-events.controller';

@Module({
  imports: [ChannelsModule, SendingModule, DeliveryReportsModule, RepliesModule],
  controllers: [AcsEventsController],
})
export class AcsEventsModule {}
