import { Injectable } from '@nestjs/common';
import type { OutboundMessagingTx } from '../database/prisma.service';
import type { InboundMessage } from '../generated/prisma/client';

/** outbound_messaging.inbound_message: customers' replies (OM5.1). */
@Injectable()
export class RepliesRepository {
  /** Stores a reply; false when the provider already delivered this one (a webhook retried). */
  async insert(tx: OutboundMessagingTx, reply: InboundMessage): Promise<boolean> {
    const { count } = await tx.inboundMessage.createMany({ data: [reply], skipDuplicates: true });
    return count === 1;
  }

  /** The message a reply answers: the latest of a configuration this channel sent (or queued) to the customer (not a HELP answer). */
  async answered(tx: OutboundMessagingTx, tenantId: string, channelId: string, customer: string): Promise<{ id: string; configurationId: string } | null> {
    const message = await tx.outboundMessage.findFirst({ where: { tenantId, channelId, toNumber: customer, configurationId: { not: null } }, orderBy: { createdAt: 'desc' }, select: { id: true, configurationId: true } });
    return message?.configurationId ? { id: message.id, configurationId: message.configurationId } : null;
  }
}
