import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { PrismaService } from './database/prisma.service';
import { SettingsModule } from './settings/settings.module';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService }), SettingsModule],
})
export class AppModule {}
