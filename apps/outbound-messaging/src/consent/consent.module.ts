import { Module } from '@nestjs/common';
import { OptOutsRepository } from './opt-outs.repository';
import { QuietHours } from './quiet-hours.service';
import { VoiceConsentConsumer } from './voice-consent.consumer';
import { VoiceDoNotCallRepository } from './voice-do-not-call.repository';

/**
 * The tenant's suppression list (OM5.2) and the voice do-not-call listings it applies too (voice.consent.v1),
 * which every way of queueing a message consults.
 */
@Module({
  controllers: [VoiceConsentConsumer],
  providers: [OptOutsRepository, VoiceDoNotCallRepository, QuietHours],
  exports: [OptOutsRepository, QuietHours],
})
export class ConsentModule {}
