import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { OptOut } from '../generated/prisma/client';
import type { MessageRef } from '../messages/message-events';
import type { SuppressionCheck } from '../invoke/contact-batch';
import { voiceListingReason } from './voice-do-not-call.repository';

/** outbound_messaging.opt_out: the tenant's suppression list (OM5.2). */
@Injectable()
export class OptOutsRepository {
  constructor(private readonly database: PrismaService) {}

  /**
   * A SuppressionCheck of the tenant, read on the pool or in a transaction: the customer's own opt-outs, then
   * the administrator's voice do-not-call listings not expired at `at` (one consent across channels).
   */
  checkFor(tenantId: string, tx?: OutboundMessagingTx): SuppressionCheck {
    return async (numbers, at) => {
      if (numbers.length === 0) return new Map();
      const db = tx ?? this.database;
      const voice = await db.voiceDoNotCall.findMany({ where: { tenantId, phoneNumber: { in: numbers }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] } });
      const optOuts = await db.optOut.findMany({ where: { tenantId, phoneNumber: { in: numbers } }, select: { phoneNumber: true, keyword: true } });
      return new Map([
        ...voice.map((entry): [string, string] => [entry.phoneNumber, voiceListingReason(entry)]),
        ...optOuts.map((row): [string, string] => [row.phoneNumber, `${row.phoneNumber} opted out (replied ${row.keyword}); it is not sent until the customer opts back in`]),
      ]);
    };
  }

  /** True when the number was not on the list before. */
  async optOut(tx: OutboundMessagingTx, entry: OptOut): Promise<boolean> {
    const { count } = await tx.optOut.createMany({ data: [entry], skipDuplicates: true });
    return count === 1;
  }

  /** True when the number was on the list. */
  async optIn(tx: OutboundMessagingTx, tenantId: string, phoneNumber: string): Promise<boolean> {
    const { count } = await tx.optOut.deleteMany({ where: { tenantId, phoneNumber } });
    return count === 1;
  }

  /**
   * The number's messages still waiting to be sent are skipped with the reason (OM5.2): an opt-out (or a voice
   * do-not-call listing) also stops what was queued before it. A message a sender has already claimed is no
   * longer queued, and leaves; a HELP answer (no configuration) is not skipped, as carriers require it.
   */
  skipQueued(tx: OutboundMessagingTx, tenantId: string, phoneNumber: string, reason: string, at: Date): Promise<MessageRef[]> {
    return tx.$queryRawUnsafe<MessageRef[]>(
      `UPDATE ${Tables.message} SET status = 'skipped', status_reason = $3, due_at = NULL, updated_at = $4
        WHERE tenant_id = $1 AND to_number = $2 AND status = 'queued' AND configuration_id IS NOT NULL
       RETURNING id, tenant_id AS "tenantId", configuration_id AS "configurationId", channel_id AS "channelId", channel_type AS "channelType", to_number AS "toNumber"`,
      tenantId,
      phoneNumber,
      reason,
      at,
    );
  }

  list(tenantId: string, limit: number): Promise<OptOut[]> {
    return this.database.optOut.findMany({ where: { tenantId }, orderBy: { optedOutAt: 'desc' }, take: limit });
  }
}
