import { Module } from '@nestjs/common';
import { OptOutsRepository } from './opt-outs.repository';
import { QuietHours } from './quiet-hours.service';

/** The tenant's suppression list (OM5.2), which every way of queueing a message consults. */
@Module({
  providers: [OptOutsRepository, QuietHours],
  exports: [OptOutsRepository, QuietHours],
})
export class ConsentModule {}
