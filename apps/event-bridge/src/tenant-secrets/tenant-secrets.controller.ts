import { applyDecorators, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { z } from 'zod';
import { TenantSecretsService } from './tenant-secrets.service';

const ingressSecretSchema = z.strictObject({ secret: z.string().min(32).max(256) });
const customDataKeySchema = z.strictObject({
  key: z.string().min(32).max(512).describe('The HS256 key your server signs custom_data_secured with.'),
});

/** Sets a secret; write-only: it is sealed at rest and no endpoint returns it (P2.4). */
const SetsSecret = (path: string, summary: string) => applyDecorators(Put(path), HttpCode(204), ApiOperation({ summary }));

@ApiTags('admin')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('admin')
export class TenantSecretsController {
  constructor(private readonly secrets: TenantSecretsService) {}

  @SetsSecret('ingress-secret', "Set the tenant's HMAC secret for signed adapter-event posts (write-only)")
  async setIngressSecret(@TenantId() tenantId: string, @ZodBody(ingressSecretSchema, { example: { secret: 'a-random-secret-of-32-to-256-characters' } }) body: z.infer<typeof ingressSecretSchema>) {
    await this.secrets.set(tenantId, 'ingressHmac', body.secret);
  }

  @SetsSecret('custom-data-key', "Set the tenant's key for verifying custom_data_secured in adapter events (write-only)")
  async setCustomDataKey(@TenantId() tenantId: string, @ZodBody(customDataKeySchema, { example: { key: 'the-key-your-server-signs-custom-data-with' } }) body: z.infer<typeof customDataKeySchema>) {
    await this.secrets.set(tenantId, 'customDataKey', body.key);
  }
}
