import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { InvokeModule } from '../invoke/invoke.module';
import { MessagesModule } from '../messages/messages.module';
import { ScheduledSendHandler } from './scheduled-send.handler';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

@Module({
  imports: [InvokeModule, MessagesModule, ConsentModule],
  controllers: [SchedulesController],
  providers: [SchedulesRepository, SchedulesService, ScheduledSendHandler],
})
export class SchedulesModule {}
