import { Injectable } from '@nestjs/common';
import { PrismaService, type OutboundMessagingTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { OptOut } from '../generated/prisma/client';
import type { MessageRef } from '../messages/message-events';
import type { SuppressionCheck } from '../invoke/contact-batch';
import { voiceListingReason } from './voice-do-not-call.repository';

/** A number on one of the tenant's two lists, as SUPPRESSED_AMONG reads it. */
export type SuppressionRow =
  | { list: 'voice'; phoneNumber: string; keyword: null; reason: string | null; expiresAt: Date | string | null }
  | { list: 'opt-out'; phoneNumber: string; keyword: string; reason: null; expiresAt: null };

/**
 * Both lists for a set of numbers at a time, voice listings still in force, then opt-outs; the parameters named
 * (`$n`) by the statement that embeds it: the tenant, the numbers (text[]) and the time.
 */
export function suppressedAmongSql(tenant: string, numbers: string, at: string): string {
  return `
SELECT 'voice' AS list, phone_number AS "phoneNumber", NULL::text AS keyword, reason, expires_at AS "expiresAt"
  FROM ${Tables.voiceDoNotCall}
 WHERE tenant_id = ${tenant} AND phone_number = ANY(${numbers}::text[]) AND (expires_at IS NULL OR expires_at > ${at}::timestamptz)
UNION ALL
SELECT 'opt-out', phone_number, keyword, NULL, NULL
  FROM ${Tables.optOut}
 WHERE tenant_id = ${tenant} AND phone_number = ANY(${numbers}::text[])`;
}

const SUPPRESSED_AMONG = suppressedAmongSql('$1', '$2', '$3');

/** The reason per suppressed number; a customer's own opt-out is named over a voice listing of the same number. */
export function suppressionReasons(rows: readonly SuppressionRow[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const row of rows) {
    if (row.list === 'opt-out') reasons.set(row.phoneNumber, `${row.phoneNumber} opted out (replied ${row.keyword}); it is not sent until the customer opts back in`);
    else if (!reasons.has(row.phoneNumber)) reasons.set(row.phoneNumber, voiceListingReason({ phoneNumber: row.phoneNumber, reason: row.reason, expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt) }));
  }
  return reasons;
}

/** outbound_messaging.opt_out: the tenant's suppression list (OM5.2). */
@Injectable()
export class OptOutsRepository {
  constructor(private readonly database: PrismaService) {}

  /**
   * A SuppressionCheck of the tenant, read on the pool or in a transaction: the customer's own opt-outs, then
   * the administrator's voice do-not-call listings not expired at `at` (one consent across channels). One
   * statement for both lists and every number (the invoke API's hot path: 100 numbers a request).
   */
  checkFor(tenantId: string, tx?: OutboundMessagingTx): SuppressionCheck {
    return async (numbers, at) => {
      if (numbers.length === 0) return new Map();
      const values = [tenantId, numbers, at];
      const rows = tx ? await tx.$queryRawUnsafe<SuppressionRow[]>(SUPPRESSED_AMONG, ...values) : await this.database.sql.queryPrepared<SuppressionRow>('outbound_messaging.suppressed_among', SUPPRESSED_AMONG, values);
      return suppressionReasons(rows);
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
