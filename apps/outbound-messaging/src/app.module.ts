import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { OUTBOUND_MESSAGING_SCHEMA, PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ serviceName: 'outbound-messaging', schema: OUTBOUND_MESSAGING_SCHEMA, database: PrismaService })],
})
export class AppModule {}
