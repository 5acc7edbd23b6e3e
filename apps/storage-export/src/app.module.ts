import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { PrismaService } from './database/prisma.service';
import { SettingsModule } from './settings/settings.module';
import { ExportsModule, StorageSettingsExportSourceModule } from './exports';

@Module({
  imports: [ServicePlatformModule.forRoot({ manifest, database: PrismaService }), SettingsModule, ExportsModule.forRoot([StorageSettingsExportSourceModule])],
})
export class AppModule {}
