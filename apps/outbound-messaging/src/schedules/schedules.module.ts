import { Module } from '@nestjs/common';
import { InvokeModule } from '../invoke/invoke.module';
import { MessagesModule } from '../messages/messages.module';
import { ScheduledSendHandler } from './scheduled-send.handler';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

@Module({
  imports: [InvokeModule, MessagesModule],
  controllers: [SchedulesController],
  providers: [SchedulesRepository, SchedulesService, ScheduledSendHandler],
})
export class SchedulesModule {}
