import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { AgentStreamHub } from './agent-stream-hub';
import { AgentStreamRetention } from './agent-stream-retention';
import { AgentStreamConsumer } from './agent-stream.consumer';
import { AgentStreamController } from './agent-stream.controller';
import { AgentStreamRepository } from './agent-stream.repository';

/** Screen pops and session events pushed to agent pages over Server-Sent Events (EB3.1). */
@Module({
  imports: [ClockModule],
  controllers: [AgentStreamController, AgentStreamConsumer],
  providers: [AgentStreamRepository, AgentStreamHub, AgentStreamRetention],
})
export class AgentStreamModule {}
