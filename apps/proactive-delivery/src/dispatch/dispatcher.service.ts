import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '@switchboard/clock';
import { PollingLoop } from '@switchboard/jobs';
import { ProactiveDeliveryConfig } from '../config';
import { DialingMode, FrequencyCap } from '../configurations/configuration.schema';
import { DoNotCallService } from '../consent/do-not-call.service';
import { nextPermittedInstant } from '@switchboard/contact-time';
import { PrismaService, ProactiveDeliveryTx } from '../database/prisma.service';
import { DeliveryEvents } from '../deliveries/delivery-events';
import { intervalsFromJson } from '../deliveries/delivery.mapper';
import type { DeliveryAttempt } from '../generated/prisma/client';
import { TenantSettingsService } from '../settings/tenant-settings.service';
import { DialRejectedError, DialRequest, VOICE_RUNTIME_REGISTRY, VoiceRuntimeRegistry } from '../voice-runtime/voice-runtime';
import { capsFreeAt, FrequencyCapRule } from './delivery-rules';
import { DispatchRepository, type ClaimedDelivery, type Lease } from './dispatch.repository';
import { DispatchSignal } from './dispatch-signal';
import { OutcomesService } from './outcomes.service';

interface DialJob {
  provider: string;
  request: DialRequest;
}

const DISABLED_CONFIGURATION_RECHECK_MS = 5 * 60_000;
const CLAIM_TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * Claims due deliveries (each by exactly one dispatcher, however many replicas run) and holds them
 * under a lease while dialing (PD4.2). A dispatcher that dies mid-dispatch leaves the lease to
 * expire; the next one re-sends the same attempt id, which the voice runtime de-duplicates, so
 * nothing is lost and nothing is dialed twice.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Dispatcher.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly events: DeliveryEvents;
  private readonly loop: PollingLoop;

  constructor(
    private readonly database: PrismaService,
    private readonly dispatch: DispatchRepository,
    private readonly outcomes: OutcomesService,
    private readonly doNotCall: DoNotCallService,
    private readonly settings: TenantSettingsService,
    @Inject(VOICE_RUNTIME_REGISTRY) private readonly providers: VoiceRuntimeRegistry,
    private readonly config: ProactiveDeliveryConfig,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
    signal: DispatchSignal,
  ) {
    this.events = new DeliveryEvents(outbox);
    // A round that dialed a full batch is followed at once: more is probably due.
    this.loop = new PollingLoop({ name: 'dispatch', round: async () => (await this.runOnce()) >= config.DISPATCH_BATCH_SIZE, idleMs: config.DISPATCH_POLL_MS, logger: this.logger });
    signal.onDue(() => this.loop.wake());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Stops claiming; dials already handed over finish first (P4.3). */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: claim what is due, then dial it. Returns how many deliveries were dialed. */
  async runOnce(now = this.clock.now()): Promise<number> {
    const jobs = await this.database.transaction((tx) => this.claimDue(tx, now), { timeout: CLAIM_TRANSACTION_TIMEOUT_MS });
    await Promise.all(jobs.map((job) => this.dial(job)));
    return jobs.length;
  }

  private async claimDue(tx: ProactiveDeliveryTx, now: Date): Promise<DialJob[]> {
    const deliveries = await this.dispatch.claimDue(tx, now, this.config.DISPATCH_BATCH_SIZE);
    // One settings read per tenant per round, not one per delivery.
    const tenants = [...new Set(deliveries.map((d) => d.tenantId))];
    const tenantCaps = new Map(await Promise.all(tenants.map(async (t) => [t, (await this.settings.effective(t)).frequencyCap] as const)));
    const jobs: DialJob[] = [];
    for (const delivery of deliveries) {
      const job = await this.prepare(tx, delivery, tenantCaps.get(delivery.tenantId) as FrequencyCapRule, now);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  /** Decides what a due delivery needs now: a dial, a later slot, or closing. */
  private async prepare(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, tenantCap: FrequencyCapRule, now: Date): Promise<DialJob | undefined> {
    if (delivery.status === 'Dialing') return this.resumeExpiredLease(tx, delivery, now);
    if (await this.doNotCall.isListed(tx, delivery.tenantId, delivery.phoneNumber, now)) {
      return this.close(tx, delivery, 'Blocked', 'the number was added to the do-not-call list', now);
    }
    const permitted = intervalsFromJson(delivery.permittedIntervals);
    const slot = nextPermittedInstant(permitted, now);
    if (!slot) return this.close(tx, delivery, 'Expired', 'the last permitted window closed before a call could be made', now);
    if (slot > now) return this.reschedule(tx, delivery, slot);
    if (!delivery.configuration.enabled) {
      const later = nextPermittedInstant(permitted, new Date(now.getTime() + DISABLED_CONFIGURATION_RECHECK_MS));
      return later ? this.reschedule(tx, delivery, later) : this.close(tx, delivery, 'Expired', 'the configuration stayed disabled until the last window closed', now);
    }
    const freeAt = await this.frequencyCapFreesAt(tx, delivery, tenantCap, now);
    if (freeAt > now) {
      const later = nextPermittedInstant(permitted, freeAt);
      return later ? this.reschedule(tx, delivery, later) : this.close(tx, delivery, 'Expired', 'the frequency cap for this number left no permitted time', now);
    }
    return this.startAttempt(tx, delivery, now);
  }

  private async startAttempt(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, now: Date): Promise<DialJob> {
    const attempt = await this.dispatch.startAttempt(tx, delivery, now, this.lease(now));
    return this.jobFor(delivery, attempt);
  }

  /** The dispatcher that held this delivery died or its dial request got lost: send it again, same attempt id. */
  private async resumeExpiredLease(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, now: Date): Promise<DialJob | undefined> {
    const attempt = delivery.attemptsLog[0];
    if (!attempt) {
      await this.dispatch.retryNow(tx, delivery.id, now);
      return undefined;
    }
    if (attempt.dialRequests >= this.config.DIAL_MAX_REQUESTS_PER_ATTEMPT) {
      this.logger.warn({ msg: 'no outcome after repeated dial requests; counting the attempt as failed', deliveryId: delivery.id, attemptId: attempt.id });
      await this.outcomes.apply(tx, delivery, attempt, 'failed', now);
      return undefined;
    }
    await this.dispatch.renewLease(tx, delivery.id, attempt.id, this.lease(now));
    return this.jobFor(delivery, attempt);
  }

  private async frequencyCapFreesAt(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, tenantCap: FrequencyCapRule, now: Date): Promise<Date> {
    const caps: FrequencyCapRule[] = [tenantCap];
    const own = delivery.configuration.frequencyCap as FrequencyCap | null;
    if (own) caps.push(own);
    const longestHours = Math.max(...caps.map((cap) => cap.periodHours));
    const since = new Date(now.getTime() - longestHours * 3_600_000);
    return capsFreeAt(caps, await this.dispatch.attemptTimesForNumber(tx, delivery.tenantId, delivery.phoneNumber, since), now);
  }

  private async reschedule(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, at: Date): Promise<undefined> {
    await this.dispatch.reschedule(tx, delivery.id, at);
    return undefined;
  }

  private async close(tx: ProactiveDeliveryTx, delivery: ClaimedDelivery, status: 'Blocked' | 'Expired', reason: string, now: Date): Promise<undefined> {
    await this.dispatch.close(tx, delivery.id, { status, reason, at: now });
    await this.outbox.enqueue(tx, [this.events.closed(delivery, status, delivery.attempts, reason)]);
    return undefined;
  }

  private lease(now: Date): Lease {
    return { owner: this.owner, expiresAt: new Date(now.getTime() + this.config.DIAL_LEASE_SECONDS * 1_000) };
  }

  private jobFor(delivery: ClaimedDelivery, attempt: DeliveryAttempt): DialJob {
    const { configuration } = delivery;
    return {
      provider: configuration.provider,
      request: {
        attemptId: attempt.id,
        deliveryId: delivery.id,
        tenantId: delivery.tenantId,
        configurationId: configuration.id,
        attemptNumber: attempt.attemptNumber,
        phoneNumber: delivery.phoneNumber,
        callerIdNumber: configuration.callerIdNumber,
        dialingMode: configuration.dialingMode as DialingMode,
        workflowId: configuration.workflowId,
        inputAttributes: delivery.inputAttributes as Record<string, string>,
      },
    };
  }

  private async dial({ provider: name, request }: DialJob): Promise<void> {
    const provider = this.providers.get(name);
    try {
      if (!provider) throw new DialRejectedError(`voice runtime "${name}" is not configured in this service`);
      const { providerCallId } = await provider.dial(request);
      await this.dispatch.recordProviderCallId(request.attemptId, providerCallId);
    } catch (error) {
      if (error instanceof DialRejectedError) {
        this.logger.warn({ msg: 'dial refused by the voice runtime', deliveryId: request.deliveryId, error: error.message });
        await this.outcomes.report({ attemptId: request.attemptId, outcome: 'failed' });
        return;
      }
      // Transient: the lease expires and the same attempt is sent again.
      this.logger.warn({ msg: 'dial request failed; will retry after the lease', deliveryId: request.deliveryId, error: (error as Error).message });
    }
  }
}
