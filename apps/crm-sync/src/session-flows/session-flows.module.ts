import { Module } from '@nestjs/common';
import { CrmCallLogRepository } from '../crm-calls/crm-call-log.repository';
import { CrmCallRecorder } from '../crm-calls/crm-call-recorder';
import { CrmEngineModule } from '../crm-engine/crm-engine.module';
import { FlowSettingsController } from './flow-settings.controller';
import { FlowSettingsRepository } from './flow-settings.repository';
import { OutboxScrubber } from './outbox-scrubber';
import { SessionCallsController } from './session-calls.controller';
import { SessionFlowEffects } from './session-flow-effects';
import { SessionFlowPlanner } from './session-flow-planner';
import { SessionFlowRepository } from './session-flow.repository';
import { SessionStepHandler } from './session-step.handler';
import { TenantFlowConfigLoader } from './tenant-flow-config';

/** CRM session flows (CS4) with durable, retried steps (CS2.8), the call log, and lookup URL pops (CS1.4, CS5). */
@Module({
  imports: [CrmEngineModule],
  controllers: [FlowSettingsController, SessionCallsController],
  providers: [
    FlowSettingsRepository,
    SessionFlowRepository,
    TenantFlowConfigLoader,
    SessionFlowEffects,
    SessionFlowPlanner,
    SessionStepHandler,
    OutboxScrubber,
    CrmCallLogRepository,
    CrmCallRecorder,
  ],
  exports: [SessionFlowPlanner, SessionFlowRepository, SessionFlowEffects, TenantFlowConfigLoader, SessionStepHandler, CrmCallRecorder, CrmEngineModule],
})
export class SessionFlowsModule {}
