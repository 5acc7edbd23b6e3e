import { Module } from '@nestjs/common';
import { RetentionSweepHandler } from './retention-sweep.handler';
import { SessionDataRetentionRepository } from './session-data-retention.repository';

/** Session data (personal data included) deleted after CRM_SESSION_DATA_RETENTION_DAYS. */
@Module({ providers: [SessionDataRetentionRepository, RetentionSweepHandler] })
export class RetentionModule {}
