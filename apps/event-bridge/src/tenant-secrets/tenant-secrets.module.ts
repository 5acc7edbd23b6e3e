import { Module } from '@nestjs/common';
import { TenantSecretsController } from './tenant-secrets.controller';
import { TenantSecretsRepository } from './tenant-secrets.repository';
import { TenantSecretsService } from './tenant-secrets.service';

@Module({ controllers: [TenantSecretsController], providers: [TenantSecretsRepository, TenantSecretsService], exports: [TenantSecretsService] })
export class TenantSecretsModule {}
