import { Injectable } from '@nestjs/common';
import { createCloudEvent, CrmCaseEventTypes, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { PrismaService } from '../database/prisma.service';
import type { CrmCaseEventInput } from './crm-case-events.schema';

const TYPES = { 'case.created': CrmCaseEventTypes.created, 'case.updated': CrmCaseEventTypes.updated, 'case.resolved': CrmCaseEventTypes.resolved } as const;

export interface CaseEventAccepted {
  eventId: string;
  duplicate: boolean;
}

/**
 * A CRM's case event in (scenario E2): recorded once per (tenant, CRM event id) and published on
 * crm.case-events.v1 in the same transaction (outbox), keyed by case id so one case's events keep their order.
 */
@Injectable()
export class CrmCaseEventsService {
  constructor(
    private readonly database: PrismaService,
    private readonly outbox: OutboxPublisher,
  ) {}

  async accept(tenantId: string, input: CrmCaseEventInput): Promise<CaseEventAccepted> {
    const type = TYPES[input.type];
    const event = createCloudEvent({
      type,
      source: '/switchboard/crm-sync',
      subject: input.case.id,
      tenantId,
      data: {
        crmEventId: input.id,
        caseId: input.case.id,
        ...(input.case.number ? { caseNumber: input.case.number } : {}),
        ...(input.case.title ? { title: input.case.title } : {}),
        status: input.case.status,
        contact: input.contact,
        ...(input.case.owner ? { owner: input.case.owner } : {}),
        occurredAt: new Date(input.occurredAt).toISOString(),
      },
    });
    return this.database.$transaction(async (tx) => {
      const { count } = await tx.crmCaseEvent.createMany({ data: [{ tenantId, crmEventId: input.id, eventId: event.id, eventType: type, caseId: input.case.id }], skipDuplicates: true });
      if (count === 0) {
        const first = await tx.crmCaseEvent.findUniqueOrThrow({ where: { tenantId_crmEventId: { tenantId, crmEventId: input.id } } });
        return { eventId: first.eventId, duplicate: true };
      }
      await this.outbox.enqueue(tx, [{ topic: Topics.crmCaseEvents, event, key: input.case.id }]);
      return { eventId: event.id, duplicate: false };
    });
  }
}
