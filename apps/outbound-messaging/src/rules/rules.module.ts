import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { InvokeModule } from '../invoke/invoke.module';
import { MessagesModule } from '../messages/messages.module';
import { RuleEngine } from './rule-engine';
import { RuleEventsConsumer } from './rule-events.consumer';
import { RulesController } from './rules.controller';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

@Module({
  imports: [InvokeModule, MessagesModule, ConsentModule],
  controllers: [RulesController, RuleEventsConsumer],
  providers: [RulesRepository, RulesService, RuleEngine],
})
export class RulesModule {}
