import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CatalogEvent, Topics } from '@switchboard/contracts';
import { InboxBatchContext } from '@switchboard/messaging';
import { EventBridgeTx } from '../database/prisma.service';
import { AgentStreamRepository } from './agent-stream.repository';
import { entriesOfAgentEvent, entriesOfPop } from './stream-entries';

/**
 * Turns screen pops and agents' session events into entries of the agents' streams (EB3.1), inside the inbox
 * transaction: a redelivered event adds nothing, and an entry exists only once its event is consumed. Batch
 * handlers: one locked, multi-row append per run of events.
 */
@Controller()
export class AgentStreamConsumer {
  constructor(private readonly entries: AgentStreamRepository) {}

  @EventPattern(Topics.crmRecordPops, { batch: true })
  async onRecordPops(@Payload() events: CatalogEvent<typeof Topics.crmRecordPops>[], @Ctx() { tx }: InboxBatchContext<EventBridgeTx>): Promise<void> {
    await this.entries.append(tx, events.flatMap(entriesOfPop));
  }

  @EventPattern(Topics.agentEvents, { batch: true })
  async onAgentEvents(@Payload() events: CatalogEvent<typeof Topics.agentEvents>[], @Ctx() { tx }: InboxBatchContext<EventBridgeTx>): Promise<void> {
    await this.entries.append(tx, events.flatMap(entriesOfAgentEvent));
  }
}
