import { Module } from '@nestjs/common';
import { OutcomeEmailSettingsController } from './outcome-email-settings.controller';
import { OutcomeEmailSettingsRepository } from './outcome-email-settings.repository';
import { OutcomeEmailScheduler } from './outcome-email.scheduler';
import { OutcomeEmailSender } from './outcome-email.sender';
import { SmtpMailer } from './smtp-mailer';

/** Session outcome e-mails (CS6): settings, scheduling on SessionEnded, sending 15 minutes later over SMTP. */
@Module({
  controllers: [OutcomeEmailSettingsController],
  providers: [OutcomeEmailSettingsRepository, OutcomeEmailScheduler, OutcomeEmailSender, SmtpMailer],
  exports: [OutcomeEmailScheduler],
})
export class OutcomeEmailModule {}
