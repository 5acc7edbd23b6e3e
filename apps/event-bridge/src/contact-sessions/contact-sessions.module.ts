import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { TenantSecretsModule } from '../tenant-secrets/tenant-secrets.module';
import { ContactSessionsController } from './contact-sessions.controller';
import { ContactSessionsRepository } from './contact-sessions.repository';
import { ContactSessionsService } from './contact-sessions.service';
import { SessionAdapterEventsRepository } from './session-adapter-events.repository';

@Module({
  imports: [TenantSecretsModule, ClockModule],
  controllers: [ContactSessionsController],
  providers: [ContactSessionsRepository, SessionAdapterEventsRepository, ContactSessionsService],
})
export class ContactSessionsModule {}
