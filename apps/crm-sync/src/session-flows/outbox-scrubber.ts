import { Injectable } from '@nestjs/common';
import { RetryJobLater } from '@switchboard/jobs';
import { PrismaService } from '../database/prisma.service';
import { SessionFlowRepository, type SessionFlow } from './session-flow.repository';

/** What a scrubbed pop's URL reads in the outbox. */
export const FORGOTTEN_URL = 'removed when the session ended (CS5.3)';

/** How soon to look again when a pop has not been relayed yet. */
const RELAY_WAIT_MS = 5_000;

/**
 * CS5.3: a custom lookup URL holds the customer's number or e-mail, so it is not kept past the session.
 * crm-sync stores it nowhere but in the pop's outbox row (kept 72 h after publishing for inspection);
 * when the session has ended, those rows' URLs are replaced once the relay has published them.
 */
@Injectable()
export class OutboxScrubber {
  constructor(
    private readonly database: PrismaService,
    private readonly flows: SessionFlowRepository,
  ) {}

  async forgetPersonalPops(flow: SessionFlow): Promise<void> {
    if (flow.piiPopEventIds.length === 0) return;
    await this.database.transaction(async (tx) => {
      const locked = await this.flows.lock(tx, flow.tenantId, flow.sessionId);
      const ids = locked.piiPopEventIds;
      const waiting = await tx.$queryRawUnsafe<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM crm_sync.outbox_event WHERE id = ANY($1::uuid[]) AND published_at IS NULL`,
        ids,
      );
      if ((waiting[0]?.count ?? 0) > 0) throw new RetryJobLater('a pop with a custom lookup URL is not relayed yet', RELAY_WAIT_MS);
      await tx.$executeRawUnsafe(
        `UPDATE crm_sync.outbox_event SET envelope = jsonb_set(envelope::jsonb, '{data,recordUrl}', to_jsonb($2::text))::json WHERE id = ANY($1::uuid[])`,
        ids,
        FORGOTTEN_URL,
      );
      await this.flows.update(tx, locked, { piiPopEventIds: [] });
    });
  }
}
