import { Module } from '@nestjs/common';
import { CustomDataModule } from '../custom-data/custom-data.module';
import { TenantSecretsModule } from '../tenant-secrets/tenant-secrets.module';
import { AdapterEventsController } from './adapter-events.controller';
import { AdapterEventsRepository } from './adapter-events.repository';
import { AdapterEventsService } from './adapter-events.service';
import { AdapterSignatureGuard } from './adapter-signature.guard';
import { AgentAdapterEventsController } from './agent-adapter-events.controller';

@Module({
  imports: [TenantSecretsModule, CustomDataModule],
  controllers: [AdapterEventsController, AgentAdapterEventsController],
  providers: [AdapterEventsRepository, AdapterEventsService, AdapterSignatureGuard],
})
export class AdapterEventsModule {}
