import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type CatalogEvent, ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import type { InboxBatchContext } from '@switchboard/messaging';
import type { StorageExportTx } from '../database/prisma.service';
import { SessionExportsService } from './session-exports.service';

/** SE3.1: an ended session's files are planned and their jobs scheduled in the inbox transaction. */
@Controller()
export class SessionEndedConsumer {
  constructor(private readonly exports: SessionExportsService) {}

  // A batch handler: a burst of ended sessions is planned with a few statements, not four per file.
  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.ended }, { batch: true })
  async onSessionEnded(
    @Payload() events: CatalogEvent<typeof Topics.contactSession, typeof ContactSessionEventTypes.ended>[],
    @Ctx() { tx }: InboxBatchContext<StorageExportTx>,
  ): Promise<void> {
    await this.exports.planEndedSessions(
      tx,
      events.map((event) => ({ tenantId: event.tenantid, ended: event.data })),
    );
  }
}
