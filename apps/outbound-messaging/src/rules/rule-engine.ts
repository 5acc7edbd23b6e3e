import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import type { CloudEvent } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import type { OutboundMessagingTx } from '../database/prisma.service';
import type { AutomatedRule } from '../generated/prisma/client';
import { OptOutsRepository } from '../consent/opt-outs.repository';
import { QuietHours } from '../consent/quiet-hours.service';
import { ConfigurationLoader } from '../invoke/configuration-loader';
import { batchEvents, planBatch } from '../invoke/contact-batch';
import { MessageEvents } from '../messages/message-events';
import { MessagesRepository } from '../messages/messages.repository';
import { contactFromEvent, conditionsHold } from './rule-matching';
import { type NewRuleFiring, RulesRepository } from './rules.repository';
import type { RuleCondition, RuleContactFields } from './rules.schema';

/**
 * Applies a tenant's automated rules to one event (OM4.1), in the consumer's inbox transaction: each
 * matching rule's firing, its message and the message's event commit with the event's inbox row, so a
 * redelivered event sends nothing twice and a crash loses nothing.
 */
@Injectable()
export class RuleEngine {
  private readonly events: MessageEvents;

  constructor(
    private readonly rules: RulesRepository,
    private readonly configurations: ConfigurationLoader,
    private readonly messages: MessagesRepository,
    private readonly outbox: OutboxPublisher,
    private readonly optOuts: OptOutsRepository,
    private readonly quietHours: QuietHours,
    private readonly clock: Clock,
  ) {
    this.events = new MessageEvents(outbox);
  }

  async apply(tx: OutboundMessagingTx, topic: string, event: CloudEvent): Promise<void> {
    const rules = await this.rules.enabledFor(tx, event.tenantid, topic, event.type);
    for (const rule of rules) {
      if (conditionsHold(rule.conditions as RuleCondition[], event.data)) await this.fire(tx, rule, event);
    }
  }

  private async fire(tx: OutboundMessagingTx, rule: AutomatedRule, event: CloudEvent): Promise<void> {
    const now = this.clock.now();
    const base = { id: randomUUID(), eventId: event.id, eventType: event.type, createdAt: now };
    const configuration = await this.configurations.load(rule.tenantId, rule.configurationId);
    if (!configuration) {
      await this.rules.recordFiring(tx, rule.tenantId, rule.id, { ...base, outcome: 'rejected', reason: `configuration ${rule.configurationId} no longer exists`, messageId: null });
      return;
    }
    const contact = contactFromEvent(rule.contactFields as RuleContactFields, configuration.channelType, event.data);
    if (!contact.ok) {
      await this.rules.recordFiring(tx, rule.tenantId, rule.id, { ...base, outcome: 'rejected', reason: contact.reason, messageId: null });
      return;
    }
    const { batch, results } = await planBatch({ tenantId: rule.tenantId, requestId: randomUUID(), at: now }, configuration, [contact.entry], this.optOuts.checkFor(rule.tenantId, tx), this.quietHours.holdUntil(now));
    const result = results[0]!;
    const firing: NewRuleFiring = { ...base, outcome: result.status === 'accepted' ? 'queued' : result.status, reason: result.reason ?? null, messageId: result.messageId ?? null };
    // The firing first: only the first delivery of an event to a rule stores a message.
    if (!(await this.rules.recordFiring(tx, rule.tenantId, rule.id, firing))) return;
    if (batch.messages.length > 0) await this.messages.insertAccepted(batch, this.outbox.rows(batchEvents(this.events, batch)), tx);
  }
}
