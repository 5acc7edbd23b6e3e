import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { SettingsModule } from '../settings/settings.module';
import { DoNotCallController } from './do-not-call.controller';
import { DoNotCallRepository } from './do-not-call.repository';
import { DoNotCallService } from './do-not-call.service';
import { MessagingConsentConsumer } from './messaging-consent.consumer';

/** Consent (PD3.1): the do-not-call list. DoNotCallService.isListed is what creation and dispatch check. */
@Module({ imports: [ClockModule, SettingsModule], controllers: [DoNotCallController, MessagingConsentConsumer], providers: [DoNotCallRepository, DoNotCallService], exports: [DoNotCallService] })
export class ConsentModule {}
