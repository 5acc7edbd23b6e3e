import { Module } from '@nestjs/common';
import { OptOutsRepository } from './opt-outs.repository';

/** The tenant's suppression list (OM5.2), which every way of queueing a message consults. */
@Module({
  providers: [OptOutsRepository],
  exports: [OptOutsRepository],
})
export class ConsentModule {}
