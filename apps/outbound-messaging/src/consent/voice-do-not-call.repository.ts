import { Injectable } from '@nestjs/common';
import type { OutboundMessagingTx } from '../database/prisma.service';
import { Tables } from '../database/tables';
import type { VoiceDoNotCall } from '../generated/prisma/client';

/** A newer listing replaces an older one; a replayed older one changes nothing. */
const LIST_SQL = `
INSERT INTO ${Tables.voiceDoNotCall} AS listed (tenant_id, phone_number, reason, expires_at, listed_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (tenant_id, phone_number) DO UPDATE
  SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at, listed_at = EXCLUDED.listed_at
  WHERE listed.listed_at <= EXCLUDED.listed_at`;

/** Why a message to a number on the voice do-not-call list is skipped. */
export function voiceListingReason(entry: Pick<VoiceDoNotCall, 'phoneNumber' | 'reason' | 'expiresAt'>): string {
  const details = [entry.reason, entry.expiresAt && `until ${entry.expiresAt.toISOString()}`].filter(Boolean).join(', ');
  return `${entry.phoneNumber} is on the tenant's voice do-not-call list${details ? ` (${details})` : ''}; no messages are sent to it while it is listed`;
}

/** outbound_messaging.voice_do_not_call: proactive-delivery's administrator listings (voice.consent.v1), applied to messages. */
@Injectable()
export class VoiceDoNotCallRepository {
  /** True when the listing applied (it is not older than the one stored). */
  async list(tx: OutboundMessagingTx, entry: VoiceDoNotCall): Promise<boolean> {
    return (await tx.$executeRawUnsafe(LIST_SQL, entry.tenantId, entry.phoneNumber, entry.reason, entry.expiresAt, entry.listedAt)) === 1;
  }

  /** Removes a listing not newer than the removal; the customer's own opt-out (opt_out) is another table and stays. */
  async unlist(tx: OutboundMessagingTx, tenantId: string, phoneNumber: string, at: Date): Promise<void> {
    await tx.voiceDoNotCall.deleteMany({ where: { tenantId, phoneNumber, listedAt: { lte: at } } });
  }
}
