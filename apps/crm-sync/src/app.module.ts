import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { AgentEventsModule } from './agent-events/agent-events.module';
import { PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService }), AgentEventsModule],
})
export class AppModule {}
