import { Module } from '@nestjs/common';
import { AgentEventLogRepository } from './agent-event-log.repository';
import { AgentEventsConsumer } from './agent-events.consumer';
import { AgentEventsController } from './agent-events.controller';

@Module({ controllers: [AgentEventsController, AgentEventsConsumer], providers: [AgentEventLogRepository] })
export class AgentEventsModule {}
