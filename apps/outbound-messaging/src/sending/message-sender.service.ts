import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { PollingLoop } from '@switchboard/jobs';
import { OutboxPublisher } from '@switchboard/messaging';
import { ServiceLifecycle } from '@switchboard/service-kit';
import { ChannelsService } from '../channels/channels.service';
import { OutboundMessagingConfig } from '../config';
import { MessageEvents, type MessageRef } from '../messages/message-events';
import { type MessagingProvider, type OutgoingMessage, type ProviderMessageMatch, ProviderSendError } from '../providers/messaging-provider';
import { MessagingProviderFactory } from '../providers/provider-factory';
import { CallGate } from './call-gate';
import { bySlotMillisecond, planSlots } from './rate-slots';
import { decideFailure } from './retry-policy';
import { SendSignal } from './send-signal';
import { type ChannelRow, type ClaimedMessage, type SendOutcome, SendingRepository } from './sending.repository';
import { StatusCallbacks } from './status-callbacks';

interface Booking {
  granted: ClaimedMessage[];
  deferred: { id: string; dueAt: Date }[];
  tats: { id: string; tat: Date }[];
  slots: Map<string, Date>;
  channels: Map<string, ChannelRow>;
}

/**
 * Sends queued messages durably (OM3.3). The message row is the job: replicas claim due rows with
 * `FOR UPDATE SKIP LOCKED` in batches (hundreds per statement, not a job row and a claim per message),
 * book each sender's slots at its throughput limit through its channel row (shared by every replica),
 * hand each message to its provider at its slot, and write outcomes back in batches with their events.
 * A replica that dies mid-send leaves its lease to expire; the message is then in doubt and is looked for at its
 * provider before it is sent again, so nothing is sent twice (issue 11).
 */
@Injectable()
export class MessageSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MessageSender.name);
  private readonly events: MessageEvents;
  private readonly loop: PollingLoop;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly calls: CallGate;
  private pending: SendOutcome[] = [];
  /** Provider ids of outcomes not written yet (or reserved by a reconciliation): no message in doubt may take them. */
  private readonly unwritten = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: SendingRepository,
    private readonly channels: ChannelsService,
    private readonly providers: MessagingProviderFactory,
    private readonly callbacks: StatusCallbacks,
    private readonly outbox: OutboxPublisher,
    private readonly config: OutboundMessagingConfig,
    private readonly clock: Clock,
    signal: SendSignal,
    lifecycle: ServiceLifecycle,
  ) {
    this.events = new MessageEvents(outbox);
    this.calls = new CallGate(config.SEND_CONCURRENCY);
    // Requests first: sending is asynchronous (OM3.3), so under a burst of invoke requests a round waits for a lull.
    const giveWay = lifecycle.giveWayToRequests(config.BACKGROUND_YIELD_MS);
    this.loop = new PollingLoop({ name: 'send', round: () => this.round(), idleMs: config.SEND_POLL_MS, giveWay, logger: this.logger });
    signal.onQueued(() => this.loop.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** Stops claiming; sends already handed over finish and are recorded first (P4.3). Tests stop it to drive rounds with runOnce. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.idle();
  }

  /** One round: recovers expired leases, claims what is due and starts sending it. Answers how many were claimed to send. */
  async runOnce(now = this.clock.now()): Promise<number> {
    await this.repository.recoverExpiredLeases(now);
    const lease = new Date(now.getTime() + this.config.SEND_LEASE_SECONDS * 1_000);
    const booking = await this.repository.claim(now, this.config.SEND_BATCH_SIZE, lease, (messages, channels) => this.book(messages, channels, now));
    if (!booking) return 0;
    this.startAtSlots(booking);
    return booking.granted.length;
  }

  /**
   * Starts each granted message at its slot. The messages of one slot millisecond share a timer (a fast sender's
   * slots are a fraction of a millisecond apart, and a timer counts whole milliseconds): a round's hundreds of
   * messages take tens of timers, not a timer and a promise each, and each still leaves at its slot.
   */
  private startAtSlots(booking: Booking): void {
    const now = this.clock.now().getTime();
    for (const [slot, messages] of bySlotMillisecond(booking.granted, (message) => booking.slots.get(message.id) as Date)) {
      const start = () => {
        for (const message of messages) this.track(this.send(message, booking.channels.get(message.channelId)));
      };
      if (slot <= now) start();
      else this.track(new Promise<void>((resolve) => setTimeout(() => resolve(start()), slot - now)));
    }
  }

  /** Resolves when every send started so far has finished and its outcome is written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }

  /** A round of the loop: answers true after a full batch, when more is probably due at once. */
  private async round(): Promise<boolean> {
    // Bounded: a slow provider holds at most a few batches in memory.
    if (this.inFlight.size >= this.config.SEND_BATCH_SIZE * 4) return false;
    return (await this.runOnce()) >= this.config.SEND_BATCH_SIZE;
  }

  /** Which claimed messages may leave now, at which slot, per sender (OM3.4); messages of a deleted channel fail. */
  private book(messages: ClaimedMessage[], channelRows: ChannelRow[], now: Date): Booking {
    const channels = new Map(channelRows.map((row) => [row.id, row]));
    const booking: Booking = { granted: [], deferred: [], tats: [], slots: new Map(), channels };
    const bySender = new Map<string, ClaimedMessage[]>();
    for (const message of messages) {
      const queued = bySender.get(message.channelId);
      if (queued) queued.push(message);
      else bySender.set(message.channelId, [message]);
    }
    for (const [channelId, queued] of bySender) {
      const channel = channels.get(channelId);
      if (!channel) {
        // Claimed to be failed right away: its channel is gone, nothing could send it.
        booking.granted.push(...queued);
        for (const message of queued) booking.slots.set(message.id, now);
        continue;
      }
      const plan = planSlots({ tat: channel.rateTat, messagesPerSecond: channel.messagesPerSecond }, queued.length, now, this.config.SEND_SCHEDULE_AHEAD_MS);
      plan.slots.forEach((slot, index) => {
        const message = queued[index] as ClaimedMessage;
        booking.granted.push(message);
        booking.slots.set(message.id, slot);
      });
      plan.deferredUntil.forEach((dueAt, index) => booking.deferred.push({ id: (queued[plan.slots.length + index] as ClaimedMessage).id, dueAt }));
      booking.tats.push({ id: channelId, tat: plan.nextTat });
    }
    return booking;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async send(message: ClaimedMessage, channel: ChannelRow | undefined): Promise<void> {
    const attempt: Attempt = { inDoubt: message.unconfirmedSince !== null, handedOver: false };
    let outcome: SendOutcome;
    try {
      if (!channel) throw new SendRefused('channel-deleted', `channel ${message.channelId} no longer exists`);
      outcome = { message, status: 'sent', providerMessageId: await this.calls.run(() => this.deliver(message, channel, attempt)) };
    } catch (error) {
      outcome = await this.failureOutcome(message, error);
      // Still in doubt unless the provider said it has no earlier copy and refused this one for sure.
      if (outcome.status === 'queued') outcome.unconfirmed = attempt.inDoubt || (attempt.handedOver && mayHaveBeenAccepted(error));
    }
    if (outcome.providerMessageId) this.unwritten.add(outcome.providerMessageId);
    this.pending.push(outcome);
    if (this.pending.length >= this.config.SEND_BATCH_SIZE) await this.flush();
    else this.flushSoon();
  }

  private async failureOutcome(message: ClaimedMessage, error: unknown): Promise<SendOutcome> {
    if (error instanceof SendRefused) return { message, status: 'failed', errorCode: error.code, errorMessage: error.message };
    const decision = decideFailure(error, message.attempts, { maxAttempts: this.config.SEND_MAX_ATTEMPTS, initialDelayMs: this.config.SEND_RETRY_INITIAL_MS, maxDelayMs: this.config.SEND_RETRY_MAX_MS });
    const now = this.clock.now();
    if (decision.kind === 'fail') {
      this.logger.warn({ msg: 'message failed', messageId: message.id, errorCode: decision.errorCode, error: decision.errorMessage });
      return { message, status: 'failed', errorCode: decision.errorCode, errorMessage: decision.errorMessage };
    }
    if (decision.senderBackoffMs !== undefined) await this.repository.holdSender(message.channelId, new Date(now.getTime() + decision.senderBackoffMs));
    return { message, status: 'queued', errorCode: decision.errorCode, errorMessage: decision.errorMessage, dueAt: new Date(now.getTime() + decision.delayMs) };
  }

  /**
   * Hands the message to its provider and answers the provider's id. A message in doubt (an earlier attempt's outcome
   * was never recorded: the process died, or the answer was lost) is first looked for at the provider; when it is
   * there, that attempt is the send and nothing goes out again (issue 11).
   */
  private async deliver(message: ClaimedMessage, channel: ChannelRow, attempt: Attempt): Promise<string> {
    const provider = this.providerFor(channel);
    const outgoing = this.outgoing(message, channel);
    if (message.unconfirmedSince && provider.findEarlierAttempts) {
      const earlier = await this.earlierAttempt(provider, outgoing, message.channelId, message.unconfirmedSince);
      if (earlier) {
        this.logger.log({ msg: 'message in doubt was already accepted by its provider; not sent again', messageId: message.id, providerMessageId: earlier });
        return earlier;
      }
      attempt.inDoubt = false;
    }
    attempt.handedOver = true;
    return (await provider.send(outgoing)).providerMessageId;
  }

  /**
   * The provider's message that is an earlier attempt of this one: same sender, recipient and content, created since
   * the first unsettled attempt, and not already recorded as another of our messages (identical texts to one number
   * are told apart this way). Reserved at once so that a concurrent identical message here cannot take it too.
   */
  private async earlierAttempt(provider: MessagingProvider, outgoing: OutgoingMessage, channelId: string, since: Date): Promise<string | undefined> {
    const candidates = await lookUp(provider, outgoing, new Date(since.getTime() - PROVIDER_CLOCK_SKEW_MS));
    if (candidates.length === 0) return undefined;
    const recorded = await this.repository.recordedProviderIds(channelId, candidates.map((candidate) => candidate.providerMessageId));
    const free = candidates.filter((candidate) => !recorded.has(candidate.providerMessageId) && !this.unwritten.has(candidate.providerMessageId));
    const oldest = free.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    if (oldest) this.unwritten.add(oldest.providerMessageId);
    return oldest?.providerMessageId;
  }

  private providerFor(channel: ChannelRow): MessagingProvider {
    return this.providers.forChannel(this.channels.opened(channel));
  }

  private outgoing(message: ClaimedMessage, channel: ChannelRow): OutgoingMessage {
    const callbackUrl = this.callbacks.urlFor(channel, message.id);
    return {
      channel: message.channelType as OutgoingMessage['channel'],
      from: channel.sender,
      to: message.toNumber,
      ...(message.whatsappTemplate ? { whatsappTemplate: message.whatsappTemplate } : { body: message.body ?? '' }),
      ...(callbackUrl && { statusCallbackUrl: callbackUrl }),
      clientReference: message.id,
      firstAttemptAt: message.firstAttemptAt,
    };
  }

  /** Outcomes are written together shortly after they come in: one statement for many sends. */
  private flushSoon(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, 20);
  }

  /** Writes what is pending after the writes before it (one at a time, in order). */
  private flush(): Promise<void> {
    this.writes = this.writes.then(() => this.writePending());
    return this.writes;
  }

  private async writePending(): Promise<void> {
    const outcomes = this.pending;
    this.pending = [];
    if (outcomes.length === 0) return;
    const now = this.clock.now();
    const entries = outcomes.flatMap((outcome) => {
      const ref: MessageRef = outcome.message;
      if (outcome.status === 'sent') return this.events.sent(ref, outcome.providerMessageId as string, now);
      if (outcome.status === 'failed') return this.events.failed(ref, { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage ?? 'failed' }, now);
      return [];
    });
    try {
      await this.repository.recordOutcomes(outcomes, this.outbox.rows(entries), now);
      this.outbox.relaySoon();
    } catch (error) {
      // Not recorded: the leases expire and these messages, in doubt, are reconciled with their provider before any resend.
      this.logger.error({ msg: 'recording send outcomes failed', count: outcomes.length, error: (error as Error).message });
    } finally {
      for (const outcome of outcomes) if (outcome.providerMessageId) this.unwritten.delete(outcome.providerMessageId);
    }
  }
}

/** Our clock and the provider's may differ a little: an earlier attempt is looked for from this long before it. */
const PROVIDER_CLOCK_SKEW_MS = 60_000;

/** Where one send got to: whether an earlier attempt may still be at the provider, and whether this one reached it. */
interface Attempt {
  inDoubt: boolean;
  handedOver: boolean;
}

/** A lookup that fails, even for good (credentials), settles nothing: the message stays in doubt and is retried, never failed for it. */
async function lookUp(provider: MessagingProvider, outgoing: OutgoingMessage, since: Date): Promise<ProviderMessageMatch[]> {
  try {
    return (await provider.findEarlierAttempts?.(outgoing, since)) ?? [];
  } catch (error) {
    const code = error instanceof ProviderSendError ? error.providerCode : undefined;
    const retryAfterMs = error instanceof ProviderSendError ? error.retryAfterMs : undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProviderSendError(`looking up the message in doubt at its provider failed: ${reason}`, { retryable: true, retryAfterMs, providerCode: `lookup:${code ?? 'failed'}`, mayHaveBeenAccepted: true, cause: error });
  }
}

function mayHaveBeenAccepted(error: unknown): boolean {
  return !(error instanceof ProviderSendError) || error.mayHaveBeenAccepted;
}

/** A message that cannot be sent at all (its channel is gone): failed at once. */
class SendRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
