import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { PrismaService } from './database/prisma.service';
import { TemplatesModule } from './templates/templates.module';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService }), ClockModule, TemplatesModule],
})
export class AppModule {}
