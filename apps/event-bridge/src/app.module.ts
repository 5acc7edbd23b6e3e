import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { AdapterEventsModule } from './adapter-events/adapter-events.module';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from './database/prisma.service';
import { IngressSecretsModule } from './ingress-secrets/ingress-secrets.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ serviceName: 'event-bridge', schema: EVENT_BRIDGE_SCHEMA, database: PrismaService }),
    IngressSecretsModule,
    AdapterEventsModule,
  ],
})
export class AppModule {}
