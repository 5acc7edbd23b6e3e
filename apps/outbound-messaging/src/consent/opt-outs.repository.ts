import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import type { OptOut } from '../generated/prisma/client';
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

  list(tenantId: string, limit: number): Promise<OptOut[]> {
    return this.database.optOut.findMany({ where: { tenantId }, orderBy: { optedOutAt: 'desc' }, take: limit });
  }
}
