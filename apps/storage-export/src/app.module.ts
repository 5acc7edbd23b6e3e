import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { STORAGE_EXPORT_SCHEMA, PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ serviceName: 'storage-export', schema: STORAGE_EXPORT_SCHEMA, database: PrismaService })],
})
export class AppModule {}
