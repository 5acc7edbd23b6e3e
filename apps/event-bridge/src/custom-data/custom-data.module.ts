import { Module } from '@nestjs/common';
import { TenantSecretsModule } from '../tenant-secrets/tenant-secrets.module';
import { CustomDataService } from './custom-data.service';

@Module({ imports: [TenantSecretsModule], providers: [CustomDataService], exports: [CustomDataService] })
export class CustomDataModule {}
