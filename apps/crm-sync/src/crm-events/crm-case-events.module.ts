import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { CrmCaseEventsController } from './crm-case-events.controller';
import { CrmCaseEventsService } from './crm-case-events.service';
import { CrmSignatureKeys } from './crm-signature.guard';
import { CrmWebhookSecrets } from './crm-webhook-secrets';

/** CRM events in (scenario E2): the signed case-event webhook, published on crm.case-events.v1. */
@Module({
  imports: [ClockModule],
  controllers: [CrmCaseEventsController],
  providers: [CrmCaseEventsService, CrmWebhookSecrets, CrmSignatureKeys],
})
export class CrmCaseEventsModule {}
