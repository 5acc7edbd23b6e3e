import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type CatalogEvent, Topics } from '@switchboard/contracts';
import type { InboxContext } from '@switchboard/messaging';
import type { OutboundMessagingTx } from '../database/prisma.service';
import { RuleEngine } from './rule-engine';

/**
 * OM4.1: the topics automated rules listen to (RULE_TOPICS), one handler per topic and the only one
 * in this service. The rules' messages commit in the inbox transaction.
 */
@Controller()
export class RuleEventsConsumer {
  constructor(private readonly engine: RuleEngine) {}

  @EventPattern(Topics.crmCaseEvents)
  async onCaseEvent(@Payload() event: CatalogEvent<typeof Topics.crmCaseEvents>, @Ctx() { tx }: InboxContext<OutboundMessagingTx>): Promise<void> {
    await this.engine.apply(tx, Topics.crmCaseEvents, event);
  }
}
