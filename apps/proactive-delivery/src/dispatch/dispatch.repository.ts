import { Injectable } from '@nestjs/common';
import type { DeliveryStatus, DialOutcome } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { PrismaService, type ProactiveDeliveryTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { Delivery, DeliveryAttempt, EngagementConfiguration } from '../generated/prisma/client';

/** A due delivery as the dispatcher claims it: its configuration and its attempt still waiting for an outcome. */
export type ClaimedDelivery = Delivery & { configuration: EngagementConfiguration; attemptsLog: DeliveryAttempt[] };
export type DeliveryWithConfiguration = Delivery & { configuration: EngagementConfiguration };

export interface Lease {
  owner: string;
  expiresAt: Date;
}

/**
 * Due deliveries, locked with `FOR UPDATE SKIP LOCKED`: each is taken by exactly one dispatcher, however
 * many replicas run (PD4.2). A dialing delivery whose lease expired is due again.
 */
const CLAIM_DUE = `
  SELECT id::text AS id FROM ${Tables.delivery}
  WHERE (status IN ('Scheduled', 'Retrying') AND next_attempt_at <= $1)
     OR (status = 'Dialing' AND lease_expires_at <= $1)
  ORDER BY COALESCE(next_attempt_at, lease_expires_at)
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

const LOCK_DELIVERY = `SELECT 1 AS locked FROM ${Tables.delivery} WHERE id = $1::uuid FOR UPDATE`;

/** Everything dispatching and outcomes read and write (PD4.2–PD4.4); every method runs in the caller's transaction. */
@Injectable()
export class DispatchRepository {
  constructor(private readonly database: PrismaService) {}

  /** Claims up to `limit` due deliveries; ordered by tenant and number, the order later per-number locks are taken in. */
  async claimDue(tx: ProactiveDeliveryTx, now: Date, limit: number): Promise<ClaimedDelivery[]> {
    const due = await tx.$queryRawUnsafe<{ id: string }[]>(CLAIM_DUE, now, limit);
    if (due.length === 0) return [];
    return tx.delivery.findMany({
      where: { id: { in: due.map((d) => d.id) } },
      include: { configuration: true, attemptsLog: { where: { outcome: null }, orderBy: { attemptNumber: 'desc' }, take: 1 } },
      // A fixed order, so two dispatchers never deadlock on the per-number locks.
      orderBy: [{ tenantId: 'asc' }, { phoneNumber: 'asc' }],
    });
  }

  /** The next attempt of a delivery, which then is Dialing under `lease`. */
  async startAttempt(tx: ProactiveDeliveryTx, delivery: Delivery, now: Date, lease: Lease): Promise<DeliveryAttempt> {
    const attempt = await tx.deliveryAttempt.create({
      data: {
        id: randomUUID(),
        deliveryId: delivery.id,
        tenantId: delivery.tenantId,
        attemptNumber: delivery.attempts + 1,
        phoneNumber: delivery.phoneNumber,
        dialRequests: 1,
        startedAt: now,
      },
    });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: { status: 'Dialing', attempts: attempt.attemptNumber, nextAttemptAt: null, ...leaseColumns(lease) },
    });
    return attempt;
  }

  /** The same attempt is requested once more, under a new lease. */
  async renewLease(tx: ProactiveDeliveryTx, deliveryId: string, attemptId: string, lease: Lease): Promise<void> {
    await tx.deliveryAttempt.update({ where: { id: attemptId }, data: { dialRequests: { increment: 1 } } });
    await tx.delivery.update({ where: { id: deliveryId }, data: leaseColumns(lease) });
  }

  /** Back to the queue at once, without a lease. */
  async retryNow(tx: ProactiveDeliveryTx, deliveryId: string, now: Date): Promise<void> {
    await tx.delivery.update({ where: { id: deliveryId }, data: { status: 'Retrying', nextAttemptAt: now, leaseOwner: null, leaseExpiresAt: null } });
  }

  async reschedule(tx: ProactiveDeliveryTx, deliveryId: string, at: Date): Promise<void> {
    await tx.delivery.update({ where: { id: deliveryId }, data: { nextAttemptAt: at } });
  }

  /** Retrying after an outcome, at `at`. */
  async retryAt(tx: ProactiveDeliveryTx, deliveryId: string, lastOutcome: DialOutcome, at: Date): Promise<void> {
    await tx.delivery.update({ where: { id: deliveryId }, data: { status: 'Retrying', nextAttemptAt: at, lastOutcome, leaseOwner: null, leaseExpiresAt: null } });
  }

  /** Closes the delivery for good: nothing is dialed after this. */
  async close(tx: ProactiveDeliveryTx, deliveryId: string, closing: { status: DeliveryStatus; reason: string; at: Date; lastOutcome?: DialOutcome }): Promise<void> {
    await tx.delivery.update({
      where: { id: deliveryId },
      data: {
        status: closing.status,
        closeReason: closing.reason,
        closedAt: closing.at,
        nextAttemptAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        ...(closing.lastOutcome && { lastOutcome: closing.lastOutcome }),
      },
    });
  }

  /**
   * When the number was dialed since `since` (attempts across all the tenant's deliveries). Takes a
   * lock on the number first, held until commit, so dispatchers deciding about it take turns and the
   * cap holds across replicas.
   */
  async attemptTimesForNumber(tx: ProactiveDeliveryTx, tenantId: string, phoneNumber: string, since: Date): Promise<Date[]> {
    await tx.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext($1))', `cap:${tenantId}:${phoneNumber}`);
    const attempts = await tx.deliveryAttempt.findMany({
      where: { tenantId, phoneNumber, startedAt: { gt: since } },
      select: { startedAt: true },
      orderBy: { startedAt: 'asc' },
    });
    return attempts.map((attempt) => attempt.startedAt);
  }

  /** Records the runtime's call id unless one is recorded already. */
  async recordProviderCallId(attemptId: string, providerCallId: string): Promise<void> {
    await this.database.deliveryAttempt.updateMany({ where: { id: attemptId, providerCallId: null }, data: { providerCallId } });
  }

  /**
   * The attempt, read after locking its delivery's row until commit: an outcome report is ordered
   * against dispatchers and cancellations. Undefined for an unknown attempt id.
   */
  async lockAttempt(tx: ProactiveDeliveryTx, attemptId: string): Promise<DeliveryAttempt | undefined> {
    const found = await tx.deliveryAttempt.findUnique({ where: { id: attemptId }, select: { deliveryId: true } });
    if (!found) return undefined;
    await tx.$queryRawUnsafe(LOCK_DELIVERY, found.deliveryId);
    return tx.deliveryAttempt.findUniqueOrThrow({ where: { id: attemptId } });
  }

  deliveryWithConfiguration(tx: ProactiveDeliveryTx, deliveryId: string): Promise<DeliveryWithConfiguration> {
    return tx.delivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { configuration: true } });
  }

  async recordOutcome(tx: ProactiveDeliveryTx, attempt: DeliveryAttempt, outcome: DialOutcome, endedAt: Date, providerCallId?: string): Promise<void> {
    await tx.deliveryAttempt.update({
      where: { id: attempt.id },
      data: { outcome, endedAt, ...(providerCallId && !attempt.providerCallId && { providerCallId }) },
    });
  }
}

function leaseColumns(lease: Lease) {
  return { leaseOwner: lease.owner, leaseExpiresAt: lease.expiresAt };
}
