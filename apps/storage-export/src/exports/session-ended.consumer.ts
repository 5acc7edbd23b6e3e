import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type CatalogEvent, ContactSessionEventTypes, Topics } from '@switchboard/contracts';
import type { InboxContext } from '@switchboard/messaging';
import type { StorageExportTx } from '../database/prisma.service';
import { SessionExportsService } from './session-exports.service';

/** SE3.1: an ended session's files are planned and their jobs scheduled in the inbox transaction. */
@Controller()
export class SessionEndedConsumer {
  constructor(private readonly exports: SessionExportsService) {}

  @EventPattern({ topic: Topics.contactSession, type: ContactSessionEventTypes.ended })
  async onSessionEnded(
    @Payload() event: CatalogEvent<typeof Topics.contactSession, typeof ContactSessionEventTypes.ended>,
    @Ctx() { tx }: InboxContext<StorageExportTx>,
  ): Promise<void> {
    await this.exports.planEnded(tx, event.tenantid, event.data);
  }
}
