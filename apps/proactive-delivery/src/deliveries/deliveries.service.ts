import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { DeliveryStatus } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { pgTransactionRunner, TransactionRunner } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import { Clock } from '@switchboard/clock';
import { computePermittedIntervals, nextPermittedInstant, resolveCalleeTimeZones } from '@switchboard/contact-time';
import { valueOrValidationFailed } from '@switchboard/validation';
import { contactPolicyOf } from '../configurations/configuration.mapper';
import { ConfigurationsService } from '../configurations/configurations.service';
import { DoNotCallService } from '../consent/do-not-call.service';
import { PrismaService } from '../database/prisma.service';
import { DispatchSignal } from '../dispatch/dispatch-signal';
import { TenantSettingsService } from '../settings/tenant-settings.service';
import { parseCreateDeliveryRequest } from './create-delivery.schema';
import { insertDelivery, findEarlierDelivery } from './delivery-insert';
import { DeliveryEvents } from './delivery-events';
import { intervalsToJson, toDeliveryView, DeliveryView } from './delivery.mapper';
import { isOpen, OPEN_STATUSES } from './delivery-status';
import { requestFingerprint } from './request-fingerprint';

export interface ListDeliveriesQuery {
  contactId?: string;
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

/** Accepts, reads and cancels proactive voice deliveries (PD1, PD4.1, PD4.5), per tenant. */
@Injectable()
export class DeliveriesService {
  private readonly events: DeliveryEvents;
  private readonly transaction: TransactionRunner;

  constructor(
    private readonly prisma: PrismaService,
    private readonly configurations: ConfigurationsService,
    private readonly doNotCall: DoNotCallService,
    private readonly settings: TenantSettingsService,
    private readonly dispatch: DispatchSignal,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
  ) {
    this.events = new DeliveryEvents(outbox);
    this.transaction = pgTransactionRunner(prisma.pool);
  }

  /** Returns the delivery id: a new one, or the earlier one for a repeated request (PD1.5). */
  async create(tenantId: string, body: unknown, idempotencyKey: string | undefined): Promise<string> {
    const now = this.clock.now();
    const { idempotencyPeriodSeconds, phoneNumberValidation } = await this.settings.recentlyRead(tenantId);
    const request = valueOrValidationFailed(parseCreateDeliveryRequest(body, now, phoneNumberValidation));
    const configuration = await this.configurations.recentlyRead(tenantId, request.proactiveEngagementConfigId);
    if (!configuration.enabled) refuse('ConfigurationDisabled', `Configuration ${configuration.id} is disabled`);
    const phone = request.destinationPhoneNumber.e164;
    if (await this.doNotCall.isListed(this.prisma, tenantId, phone, now)) {
      refuse('NumberOnDoNotCallList', `DestinationPhoneNumber ${phone} is on the do-not-call list; nothing will be dialed`);
    }
    const permitted = computePermittedIntervals({
      windows: request.windows,
      policy: contactPolicyOf(configuration),
      calleeTimeZones: await resolveCalleeTimeZones(request.destinationPhoneNumber),
      now,
    });
    if (!permitted.ok) refuse('NoPermittedContactTime', permitted.message);
    const nextAttemptAt = nextPermittedInstant(permitted.intervals, now) as Date;
    const fingerprint = requestFingerprint(request);

    const id = await this.transaction(async (sql) => {
      const earlier = await findEarlierDelivery(sql, { tenantId, fingerprint, idempotencyKey, periodSeconds: idempotencyPeriodSeconds, now });
      if (earlier) return earlier;
      const delivery = {
        id: randomUUID(),
        tenantId,
        configurationId: configuration.id,
        phoneNumber: phone,
        phoneRegion: request.destinationPhoneNumber.region,
        contactId: request.contactId,
        windows: intervalsToJson(request.windows),
        permittedIntervals: intervalsToJson(permitted.intervals),
        inputAttributes: request.inputAttributes,
        nextAttemptAt,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: fingerprint,
        createdAt: now,
      };
      await insertDelivery(sql, delivery);
      await this.outbox.enqueue(sql, [this.events.requested(delivery, request.windows, request.inputAttributes), this.events.scheduled(delivery, nextAttemptAt)]);
      return delivery.id;
    });
    this.dispatch.dueAt(nextAttemptAt);
    return id;
  }

  async get(tenantId: string, id: string): Promise<DeliveryView> {
    const row = await this.prisma.delivery.findFirst({ where: { tenantId, id }, include: { attemptsLog: { orderBy: { attemptNumber: 'asc' } } } });
    if (!row) throw deliveryNotFound(id);
    return toDeliveryView(row, row.attemptsLog);
  }

  async list(tenantId: string, query: ListDeliveriesQuery): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const rows = await this.prisma.delivery.findMany({
      where: { tenantId, ...(query.contactId && { contactId: query.contactId }), ...(query.status && { status: query.status }), ...(query.cursor && { id: { gt: query.cursor } }) },
      orderBy: { id: 'asc' },
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return { items: page.map((row) => toDeliveryView(row)), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** Cancels a delivery that has not finished (PD4.5); a call already ringing is not recalled. */
  async cancel(tenantId: string, id: string): Promise<DeliveryView> {
    await this.prisma.$transaction(async (tx) => {
      const delivery = await tx.delivery.findFirst({ where: { tenantId, id } });
      if (!delivery) throw deliveryNotFound(id);
      if (!isOpen(delivery.status)) {
        throw new ConflictException({ code: 'DeliveryClosed', message: `Delivery ${id} is ${delivery.status} and can no longer be cancelled` });
      }
      const { count } = await tx.delivery.updateMany({
        where: { id, status: { in: [...OPEN_STATUSES] } },
        data: { status: 'Cancelled', closeReason: 'cancelled by request', closedAt: this.clock.now(), nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null },
      });
      if (count === 0) throw new ConflictException({ code: 'DeliveryClosed', message: `Delivery ${id} finished meanwhile` });
      await this.outbox.enqueue(tx, [this.events.closed(delivery, 'Cancelled', delivery.attempts, 'cancelled by request')]);
    });
    return this.get(tenantId, id);
  }
}

function refuse(code: string, message: string): never {
  throw new UnprocessableEntityException({ code, message });
}

function deliveryNotFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'DeliveryNotFound', message: `No proactive delivery ${id}` });
}
