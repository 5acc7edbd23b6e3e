import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { ClockModule } from '@switchboard/clock';
import { ConfigurationsModule } from './configurations/configurations.module';
import { ConsentModule } from './consent/consent.module';
import { PrismaService } from './database/prisma.service';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DispatchModule } from './dispatch/dispatch.module';
import { SettingsModule } from './settings/settings.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ manifest, database: PrismaService }),
    ClockModule,
    DispatchModule,
    ConfigurationsModule,
    ConsentModule,
    SettingsModule,
    DeliveriesModule,
  ],
})
export class AppModule {}
