import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { AgentEventsModule } from './agent-events/agent-events.module';
import { ContactSessionsModule } from './contact-sessions/contact-sessions.module';
import { CrmEngineModule } from './crm-engine/crm-engine.module';
import { CrmCaseEventsModule } from './crm-events/crm-case-events.module';
import { CrmUploadsModule } from './crm-uploads/crm-uploads.module';
import { DataDipModule } from './data-dip/data-dip.module';
import { OAuthConnectModule } from './oauth/oauth-connect.module';
import { OutcomeEmailModule } from './outcome-email/outcome-email.module';
import { PrismaService } from './database/prisma.service';
import { RetentionModule } from './retention/retention.module';
import { OutboundHttpModule } from './outbound/outbound-http.module';
import { SessionFlowsModule } from './session-flows/session-flows.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ manifest, database: PrismaService }),
    OutboundHttpModule,
    AgentEventsModule,
    DataDipModule,
    CrmEngineModule,
    OAuthConnectModule,
    SessionFlowsModule,
    OutcomeEmailModule,
    CrmCaseEventsModule,
    ContactSessionsModule,
    CrmUploadsModule,
    RetentionModule,
  ],
})
export class AppModule {}
