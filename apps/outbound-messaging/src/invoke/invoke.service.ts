import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { OutboxPublisher } from '@switchboard/messaging';
import { TooManyRequests } from '@switchboard/service-kit';
import { randomUUID } from 'node:crypto';
import { OutboundMessagingConfig } from '../config';
import { ConfigurationsService } from '../configurations/configurations.service';
import { MessageEvents, type MessageRef } from '../messages/message-events';
import { type AcceptedBatch, MessagesRepository, type NewMessage } from '../messages/messages.repository';
import { SendSignal } from '../sending/send-signal';
import { CompiledTemplates } from '../templates/compiled-templates';
import { type ConfigurationForContacts, type ContactDecision, decideContact } from './contact-entry';
import { InvokeRateLimitRepository } from './invoke-rate-limit.repository';
import type { ContactResult, InvokeRequest, InvokeResponse } from './invoke.schema';

/** The invoke API (OM3): per-contact decisions, one atomic insert of messages and events, sending left to the sender. */
@Injectable()
export class InvokeService {
  private readonly events: MessageEvents;
  private readonly templates = new CompiledTemplates();

  constructor(
    private readonly configurations: ConfigurationsService,
    private readonly messages: MessagesRepository,
    private readonly rateLimit: InvokeRateLimitRepository,
    private readonly outbox: OutboxPublisher,
    private readonly signal: SendSignal,
    private readonly config: OutboundMessagingConfig,
    private readonly clock: Clock,
  ) {
    this.events = new MessageEvents(outbox);
  }

  async invoke(tenantId: string, request: InvokeRequest): Promise<Omit<InvokeResponse, '@odata.context'>> {
    const now = this.clock.now();
    const budget = await this.rateLimit.count(tenantId, this.config.INVOKE_REQUESTS_PER_HOUR, now);
    if (!budget.allowed) throw new TooManyRequests(`This organisation has used its ${this.config.INVOKE_REQUESTS_PER_HOUR} invoke requests of this hour (OM3.2)`, budget.retryAfterSeconds);
    const configuration = await this.configurationFor(tenantId, request.msdyn_ocoutboundconfigurationid);
    const decisions = request.ContactList.map((entry) => decideContact(entry, configuration));
    if (!decisions.some((decision) => decision.kind !== 'reject')) throw noContactAccepted(decisions);

    const requestId = randomUUID();
    const batch: AcceptedBatch = { tenantId, requestId, configurationId: configuration.id, channelId: configuration.channelId, channelType: configuration.channelType, inTimeline: configuration.showInTimeline, at: now, messages: [] };
    const results: ContactResult[] = decisions.map((decision, index) => {
      const tocontactid = (request.ContactList[index] as { tocontactid?: unknown } | null)?.tocontactid;
      if (decision.kind === 'reject') return { index, tocontactid, status: 'rejected', reason: decision.problems.map((problem) => problem.message).join('; ') };
      const message = newMessage(decision, index);
      batch.messages.push(message);
      return decision.kind === 'queue' ? { index, tocontactid, status: 'accepted', messageId: message.id } : { index, tocontactid, status: 'skipped', messageId: message.id, reason: decision.reason };
    });
    await this.messages.insertAccepted(batch, this.outbox.rows(batch.messages.map((message) => this.eventOf(batch, message))));
    this.outbox.relaySoon();
    this.signal.queued();
    const count = (status: ContactResult['status']) => results.filter((result) => result.status === status).length;
    return { requestId, accepted: count('accepted'), skipped: count('skipped'), rejected: count('rejected'), ContactList: results };
  }

  private eventOf(batch: AcceptedBatch, message: NewMessage) {
    const ref: MessageRef = { id: message.id, tenantId: batch.tenantId, configurationId: batch.configurationId, channelId: batch.channelId, channelType: batch.channelType, toNumber: message.toNumber };
    if (message.status === 'skipped') return this.events.skipped(ref, message.statusReason as string, batch.at);
    const timeline = message.entityRelationshipName === null ? undefined : { entityRelationshipName: message.entityRelationshipName, customerName: message.customerName, caseName: message.caseName, body: message.body as string };
    return this.events.queued(ref, batch.requestId, message.locale as string, batch.at, batch.inTimeline ? timeline : undefined);
  }

  /** Another tenant's configuration answers exactly like a missing one (P1.1). */
  private async configurationFor(tenantId: string, id: string): Promise<ConfigurationForContacts & { channelId: string }> {
    const row = await this.configurations.withParts(tenantId, id);
    if (!row) throw new NotFoundException({ code: 'ConfigurationNotFound', message: `No outbound configuration ${id} (msdyn_ocoutboundconfigurationid)` });
    return { id: row.id, channelType: row.channelType as 'sms' | 'whatsapp', showInTimeline: row.showInTimeline, channelId: row.channelId, template: this.templates.of(row.template) };
  }
}

function newMessage(decision: Exclude<ContactDecision, { kind: 'reject' }>, contactIndex: number): NewMessage {
  const { contact } = decision;
  const rendered = decision.kind === 'queue' ? decision.rendered : undefined;
  return {
    id: randomUUID(),
    contactIndex,
    toNumber: decision.to,
    locale: rendered?.locale ?? null,
    body: rendered?.body ?? null,
    whatsappTemplate: rendered?.whatsappTemplate ?? null,
    segments: rendered?.sms?.segments ?? null,
    status: decision.kind === 'queue' ? 'queued' : 'skipped',
    statusReason: decision.kind === 'skip' ? decision.reason : null,
    entityRelationshipName: contact.entityrelationshipname ?? null,
    customerName: contact.CustomerName,
    caseName: contact.CaseName,
  };
}

/** Every contact was rejected: nothing is stored, and the answer says why for each (OM3.2). */
function noContactAccepted(decisions: ContactDecision[]): BadRequestException {
  const details = decisions.flatMap((decision, index) =>
    decision.kind === 'reject' ? decision.problems.map((problem) => ({ field: `ContactList[${index}]${problem.field ? `.${problem.field}` : ''}`, message: problem.message })) : [],
  );
  return new BadRequestException({ code: 'NoContactAccepted', message: `No contact was accepted: ${details.map((detail) => `${detail.field}: ${detail.message}`).join('; ')}`.slice(0, 2_000), details });
}
