import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { PrismaService } from './database/prisma.service';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService })],
})
export class AppModule {}
