import { Module } from '@nestjs/common';
import { OutcomeEmailModule } from '../outcome-email/outcome-email.module';
import { SessionFlowsModule } from '../session-flows/session-flows.module';
import { ContactSessionConsumer } from './contact-session.consumer';

/** Contact-session events (contact.session.v1) handed to the features that act on them. */
@Module({
  imports: [SessionFlowsModule, OutcomeEmailModule],
  controllers: [ContactSessionConsumer],
})
export class ContactSessionsModule {}
