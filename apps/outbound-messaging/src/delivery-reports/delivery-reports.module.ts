import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { SendingModule } from '../sending/sending.module';
import { DeliveryReportsService } from './delivery-reports.service';
import { TwilioStatusController } from './twilio-status.controller';

@Module({
  imports: [ChannelsModule, SendingModule],
  controllers: [TwilioStatusController],
  providers: [DeliveryReportsService],
  exports: [DeliveryReportsService],
})
export class DeliveryReportsModule {}
