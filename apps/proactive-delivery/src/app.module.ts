import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@switchboard/platform';
import { ClockModule } from '@switchboard/clock';
import { ConfigurationsModule } from './configurations/configurations.module';
import { ConsentModule } from './consent/consent.module';
import { PROACTIVE_DELIVERY_SCHEMA, PrismaService } from './database/prisma.service';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DispatchModule } from './dispatch/dispatch.module';
import { SettingsModule } from './settings/settings.module';

@Module({
  imports: [
    ServicePlatformModule.forRoot({ serviceName: 'proactive-delivery', schema: PROACTIVE_DELIVERY_SCHEMA, database: PrismaService }),
    ClockModule,
    DispatchModule,
    ConfigurationsModule,
    ConsentModule,
    SettingsModule,
    DeliveriesModule,
  ],
})
export class AppModule {}
