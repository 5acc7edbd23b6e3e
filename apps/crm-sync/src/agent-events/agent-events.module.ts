import { Module } from '@nestjs/common';
import { AgentEventsConsumer } from './agent-events.consumer';
import { AgentEventsController } from './agent-events.controller';

@Module({ controllers: [AgentEventsController], providers: [AgentEventsConsumer] })
export class AgentEventsModule {}
