import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { CrmEngineModule } from '../crm-engine/crm-engine.module';
import { OAuthConnectController } from './oauth-connect.controller';
import { OAuthConnectService } from './oauth-connect.service';

/** The administrator's OAuth 2.0 connect flow for the custom CRM (CS1.1). */
@Module({
  imports: [CrmEngineModule, ClockModule],
  controllers: [OAuthConnectController],
  providers: [OAuthConnectService],
})
export class OAuthConnectModule {}
