import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { AgentEventsModule } from './agent-events/agent-events.module';
import { CRM_SYNC_SCHEMA, PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ serviceName: 'crm-sync', schema: CRM_SYNC_SCHEMA, database: PrismaService }), AgentEventsModule],
})
export class AppModule {}
