import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { Clock } from '@switchboard/clock';
import { computePermittedIntervals, nextPermittedInstant, resolveCalleeTimeZones } from '@switchboard/contact-time';
import { valueOrValidationFailed } from '@switchboard/validation';
import { contactPolicyOf } from '../configurations/configuration.mapper';
import { ConfigurationsService } from '../configurations/configurations.service';
import { PrismaService } from '../database/prisma.service';
import { DispatchSignal } from '../dispatch/dispatch-signal';
import { TenantSettingsService } from '../settings/tenant-settings.service';
import { parseCreateDeliveryRequest } from './create-delivery.schema';
import { DeliveriesRepository, type ListDeliveriesQuery, type NewDelivery, type RequestKey } from './deliveries.repository';
import { DeliveryEvents } from './delivery-events';
import { intervalsToJson, toDeliveryView, DeliveryView } from './delivery.mapper';
import { isOpen } from './delivery-status';
import { requestFingerprint } from './request-fingerprint';

const CANCELLED_BY_REQUEST = 'cancelled by request';

/** Accepts, reads and cancels proactive voice deliveries (PD1, PD4.1, PD4.5), per tenant. */
@Injectable()
export class DeliveriesService {
  private readonly events: DeliveryEvents;

  constructor(
    private readonly database: PrismaService,
    private readonly deliveries: DeliveriesRepository,
    private readonly configurations: ConfigurationsService,
    private readonly settings: TenantSettingsService,
    private readonly dispatch: DispatchSignal,
    private readonly outbox: OutboxPublisher,
    private readonly clock: Clock,
  ) {
    this.events = new DeliveryEvents(outbox);
  }

  /** Returns the delivery id: a new one, or the earlier one for a repeated request (PD1.5). */
  async create(tenantId: string, body: unknown, idempotencyKey: string | undefined): Promise<string> {
    const now = this.clock.now();
    const { idempotencyPeriodSeconds, phoneNumberValidation } = await this.settings.recentlyRead(tenantId);
    const request = valueOrValidationFailed(parseCreateDeliveryRequest(body, now, phoneNumberValidation));
    const configuration = await this.configurations.recentlyRead(tenantId, request.proactiveEngagementConfigId);
    if (!configuration.enabled) refuse('ConfigurationDisabled', `Configuration ${configuration.id} is disabled`);
    const permitted = computePermittedIntervals({
      windows: request.windows,
      policy: contactPolicyOf(configuration),
      calleeTimeZones: await resolveCalleeTimeZones(request.destinationPhoneNumber),
      now,
    });
    if (!permitted.ok) refuse('NoPermittedContactTime', permitted.message);
    const nextAttemptAt = nextPermittedInstant(permitted.intervals, now) as Date;
    const fingerprint = requestFingerprint(request);
    const delivery: NewDelivery = {
      id: randomUUID(),
      tenantId,
      configurationId: configuration.id,
      phoneNumber: request.destinationPhoneNumber.e164,
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
    const requestKey: RequestKey = idempotencyKey
      ? { kind: 'idempotency_key', key: idempotencyKey }
      : { kind: 'request_fingerprint', key: fingerprint, periodSeconds: idempotencyPeriodSeconds };
    const events = this.outbox.rows([this.events.requested(delivery, request.windows, request.inputAttributes), this.events.scheduled(delivery, nextAttemptAt)]);

    const outcome = await this.deliveries.createOnce(delivery, requestKey, events);
    switch (outcome.kind) {
      case 'numberListed':
        return refuse('NumberOnDoNotCallList', `DestinationPhoneNumber ${delivery.phoneNumber} is on the do-not-call list; nothing will be dialed`);
      case 'keyReused':
        return refuse('IdempotencyKeyReused', 'Idempotency-Key was already used for a different request');
      case 'repeated':
        return outcome.deliveryId;
      case 'created':
        this.outbox.relaySoon();
        this.dispatch.dueAt(nextAttemptAt);
        return delivery.id;
    }
  }

  async get(tenantId: string, id: string): Promise<DeliveryView> {
    const row = await this.deliveries.findWithAttempts(tenantId, id);
    if (!row) throw deliveryNotFound(id);
    return toDeliveryView(row, row.attemptsLog);
  }

  async list(tenantId: string, query: ListDeliveriesQuery): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const { rows, more } = await this.deliveries.list(tenantId, query);
    return { items: rows.map((row) => toDeliveryView(row)), nextCursor: more ? (rows.at(-1)?.id ?? null) : null };
  }

  /** Cancels a delivery that has not finished (PD4.5); a call already ringing is not recalled. */
  async cancel(tenantId: string, id: string): Promise<DeliveryView> {
    await this.database.transaction(async (tx) => {
      const delivery = await this.deliveries.find(tenantId, id, tx);
      if (!delivery) throw deliveryNotFound(id);
      if (!isOpen(delivery.status)) {
        throw new ConflictException({ code: 'DeliveryClosed', message: `Delivery ${id} is ${delivery.status} and can no longer be cancelled` });
      }
      if (!(await this.deliveries.cancelIfOpen(id, CANCELLED_BY_REQUEST, this.clock.now(), tx))) {
        throw new ConflictException({ code: 'DeliveryClosed', message: `Delivery ${id} finished meanwhile` });
      }
      await this.outbox.enqueue(tx, [this.events.closed(delivery, 'Cancelled', delivery.attempts, CANCELLED_BY_REQUEST)]);
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
