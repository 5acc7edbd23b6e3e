import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { AdapterEventsModule } from './adapter-events/adapter-events.module';
import { AgentStreamModule } from './agent-stream/agent-stream.module';
import { PrismaService } from './database/prisma.service';
import { IngressSecretsModule } from './ingress-secrets/ingress-secrets.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ manifest, database: PrismaService }),
    IngressSecretsModule,
    AdapterEventsModule,
    AgentStreamModule,
  ],
})
export class AppModule {}
