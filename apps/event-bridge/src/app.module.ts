import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { AdapterEventsModule } from './adapter-events/adapter-events.module';
import { AgentDesktopModule } from './agent-desktop/agent-desktop.module';
import { AgentStreamModule } from './agent-stream/agent-stream.module';
import { ContactSessionsModule } from './contact-sessions/contact-sessions.module';
import { PrismaService } from './database/prisma.service';
import { TenantSecretsModule } from './tenant-secrets/tenant-secrets.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ manifest, database: PrismaService }),
    TenantSecretsModule,
    AdapterEventsModule,
    ContactSessionsModule,
    AgentDesktopModule,
    AgentStreamModule,
  ],
})
export class AppModule {}
