import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { OptOut } from '../generated/prisma/client';
import type { MessageRef } from '../messages/message-events';
import type { SuppressionCheck } from '../invoke/contact-batch';

/** outbound_messaging.opt_out: the tenant's suppression list (OM5.2). */
@Injectable()
export class OptOutsRepository {
  constructor(private readonly database: PrismaService) {}

  /** A SuppressionCheck of the tenant, read on the pool or in a transaction. */
  checkFor(tenantId: string, tx?: OutboundMessagingTx): SuppressionCheck {
    return async (numbers) => {
      if (numbers.length === 0) return new Map();
      const rows = await (tx ?? this.database).optOut.findMany({ where: { tenantId, phoneNumber: { in: numbers } }, select: { phoneNumber: true, keyword: true } });
      return new Map(rows.map((row) => [row.phoneNumber, row.keyword]));
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
   * The number's messages still waiting to be sent are skipped with the reason (OM5.2): an opt-out also
   * stops what was queued before it. A message a sender has already claimed is no longer queued, and leaves.
   */
  skipQueued(tx: OutboundMessagingTx, tenantId: string, phoneNumber: string, reason: string, at: Date): Promise<MessageRef[]> {
    return tx.$queryRawUnsafe<MessageRef[]>(
      `UPDATE ${Tables.message} SET status = 'skipped', status_reason = $3, due_at = NULL, updated_at = $4
        WHERE tenant_id = $1 AND to_number = $2 AND status = 'queued'
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
