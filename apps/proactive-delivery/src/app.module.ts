import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ serviceName: 'proactive-delivery', schema: PROACTIVE_DELIVERY_SCHEMA, database: PrismaService })],
})
export class AppModule {}
