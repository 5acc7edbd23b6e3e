import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { TenantSecretsController } from './tenant-secrets.controller';
import { TenantSecretsRepository } from './tenant-secrets.repository';
import { TenantSecretsService } from './tenant-secrets.service';
import { TenantSignatureGuard } from './tenant-signature.guard';

@Module({
  imports: [ClockModule],
  controllers: [TenantSecretsController],
  providers: [TenantSecretsRepository, TenantSecretsService, TenantSignatureGuard],
  exports: [TenantSecretsService, TenantSignatureGuard],
})
export class TenantSecretsModule {}
