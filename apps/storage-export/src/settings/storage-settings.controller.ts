import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { type StorageSettingsInput, storageSettingsExample, storageSettingsSchema, type StorageSettingsView } from './storage-settings.schema';
import { StorageSettingsService } from './storage-settings.service';

@ApiTags('storage-export settings')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('storage-export/settings')
export class StorageSettingsController {
  constructor(private readonly settings: StorageSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's external storage settings (SE1); secrets are never returned, only whether they are set" })
  get(@TenantId() tenantId: string): Promise<StorageSettingsView> {
    return this.settings.view(tenantId);
  }

  @Post('connect')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Connect and save (SE1.3): writes and removes a probe file with these settings, and saves them only when that works',
    description:
      'Secrets (password, privateKey, passphrase, secretAccessKey) are write-only: left out, the stored ones are kept while the backend and ' +
      'host/port/user (SFTP) or endpoint/bucket/key id (S3) stay the same. Failures are 422 with a stable code: AuthRefused, HostUnreachable, ' +
      'HostKeyMismatch, PermissionDenied, BucketMissing, FolderMissing, AddressNotAllowed (the host is on a refused address; OUTBOUND_HTTP_ALLOW), ' +
      'ConnectionLost, ProbeFailed. Nothing is saved then.',
  })
  connect(
    @TenantId() tenantId: string,
    @ZodBody(storageSettingsSchema, { example: storageSettingsExample, inputLabel: 'The request body' }) settings: StorageSettingsInput,
  ): Promise<StorageSettingsView> {
    return this.settings.connectAndSave(tenantId, settings);
  }
}
