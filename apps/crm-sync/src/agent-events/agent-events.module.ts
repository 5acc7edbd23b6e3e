import { Module } from '@nestjs/common';
import { SessionFlowsModule } from '../session-flows/session-flows.module';
import { AgentEventLogRepository } from './agent-event-log.repository';
import { AgentEventsConsumer } from './agent-events.consumer';
import { AgentEventsController } from './agent-events.controller';

@Module({ imports: [SessionFlowsModule], controllers: [AgentEventsController, AgentEventsConsumer], providers: [AgentEventLogRepository] })
export class AgentEventsModule {}
