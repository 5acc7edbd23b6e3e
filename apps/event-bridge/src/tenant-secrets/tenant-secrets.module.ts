import { Module } from '@nestjs/common';
import { ClockModule } from '@switchboard/clock';
import { TenantSecretsController } from './tenant-secrets.controller';
import { TenantSecretsRepository } from './tenant-secrets.repository';
import { TenantSecretsService } from './tenant-secrets.service';
import { IngressSignatureKeys } from './tenant-signature.guard';

@Module({
  imports: [ClockModule],
  controllers: [TenantSecretsController],
  providers: [TenantSecretsRepository, TenantSecretsService, IngressSignatureKeys],
  exports: [TenantSecretsService, IngressSignatureKeys],
})
export class TenantSecretsModule {}
