import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { OutboxPublisher } from '@switchboard/messaging';
import { TooManyRequests } from '@switchboard/service-kit';
import { randomUUID } from 'node:crypto';
import { OutboundMessagingConfig } from '../config';
import { MessageEvents } from '../messages/message-events';
import { MessagesRepository } from '../messages/messages.repository';
import { SendSignal } from '../sending/send-signal';
import { ConfigurationLoader } from './configuration-loader';
import { batchEvents, countResults, planBatch, type SuppressionCheck } from './contact-batch';
import type { ContactDecision } from './contact-entry';
import { InvokeRateLimitRepository, type RequestBudget } from './invoke-rate-limit.repository';
import type { InvokeRequest, InvokeResponse } from './invoke.schema';

/** The invoke API (OM3): per-contact decisions, one atomic insert of messages and events, sending left to the sender. */
@Injectable()
export class InvokeService {
  private readonly events: MessageEvents;

  constructor(
    private readonly configurations: ConfigurationLoader,
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
    const configuration = await this.configurations.recent(tenantId, request.msdyn_ocoutboundconfigurationid);
    if (!configuration) {
      // Counted like any request, and over the budget answered 429 first, as for a known configuration.
      this.refuseOverBudget(await this.rateLimit.count(tenantId, this.config.INVOKE_REQUESTS_PER_HOUR, now));
      throw configurationNotFound(request.msdyn_ocoutboundconfigurationid);
    }
    // The request is counted by the statement that reads its numbers' consent: one round trip for both.
    let budget: RequestBudget | undefined;
    const countAndCheck: SuppressionCheck = async (numbers, at) => {
      const answer = await this.rateLimit.countAndReadSuppressions(tenantId, this.config.INVOKE_REQUESTS_PER_HOUR, at, numbers);
      budget = answer.budget;
      return answer.suppressed;
    };
    const requestId = randomUUID();
    const { batch, decisions, results } = await planBatch({ tenantId, requestId, at: now }, configuration, request.ContactList, countAndCheck);
    this.refuseOverBudget(budget ?? (await this.rateLimit.count(tenantId, this.config.INVOKE_REQUESTS_PER_HOUR, now)));
    if (batch.messages.length === 0) throw noContactAccepted(decisions);
    await this.messages.insertAccepted(batch, this.outbox.rows(batchEvents(this.events, batch)));
    this.outbox.relaySoon();
    this.signal.queued();
    return { requestId, ...countResults(results), ContactList: results };
  }

  /** OM3.2: over the hour's budget nothing is stored, whatever the request holds. */
  private refuseOverBudget(budget: RequestBudget): void {
    if (!budget.allowed) throw new TooManyRequests(`This organisation has used its ${this.config.INVOKE_REQUESTS_PER_HOUR} invoke requests of this hour (OM3.2)`, budget.retryAfterSeconds);
  }
}

/** Another tenant's configuration answers exactly like a missing one (P1.1). */
function configurationNotFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'ConfigurationNotFound', message: `No outbound configuration ${id} (msdyn_ocoutboundconfigurationid)` });
}

/** Every contact was rejected: nothing is stored, and the answer says why for each (OM3.2). */
export function noContactAccepted(decisions: ContactDecision[]): BadRequestException {
  const details = decisions.flatMap((decision, index) =>
    decision.kind === 'reject' ? decision.problems.map((problem) => ({ field: `ContactList[${index}]${problem.field ? `.${problem.field}` : ''}`, message: problem.message })) : [],
  );
  return new BadRequestException({ code: 'NoContactAccepted', message: `No contact was accepted: ${details.map((detail) => `${detail.field}: ${detail.message}`).join('; ')}`.slice(0, 2_000), details });
}
