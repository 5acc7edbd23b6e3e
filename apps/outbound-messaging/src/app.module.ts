import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { ServicePlatformModule } from '@switchboard/platform';
import manifest from '../service.json';
import { ChannelsModule } from './channels/channels.module';
import { OutboundMessagingConfig } from './config';
import { ConfigurationsModule } from './configurations/configurations.module';
import { PrismaService } from './database/prisma.service';
import { AcsEventsModule } from './acs-events/acs-events.module';
import { DeliveryReportsModule } from './delivery-reports/delivery-reports.module';
import { InvokeModule } from './invoke/invoke.module';
import { OutboundHttpModule } from './outbound/outbound-http.module';
import { RepliesModule } from './replies/replies.module';
import { ReportingModule } from './reporting/reporting.module';
import { RulesModule } from './rules/rules.module';
import { SchedulesModule } from './schedules/schedules.module';
import { SendingModule } from './sending/sending.module';
import { TemplatesModule } from './templates/templates.module';

@Module({
  imports: [ServicePlatformModule.forRoot<OutboundMessagingConfig>({ manifest, database: PrismaService, relayGiveWayMs: (config) => config.BACKGROUND_YIELD_MS }), ClockModule, OutboundHttpModule, TemplatesModule, ChannelsModule, ConfigurationsModule, InvokeModule, SendingModule, ReportingModule, DeliveryReportsModule, RulesModule, SchedulesModule, RepliesModule, AcsEventsModule],
})
export class AppModule {}
