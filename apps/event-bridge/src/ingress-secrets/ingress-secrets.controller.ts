import { Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { ZodBody } from '@switchboard/validation';
import { z } from 'zod';
import { IngressSecretsService } from './ingress-secrets.service';

const setSecretSchema = z.strictObject({ secret: z.string().min(32).max(256) });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/ingress-secret')
export class IngressSecretsController {
  constructor(private readonly secrets: IngressSecretsService) {}

  @Put()
  @HttpCode(204)
  @Roles(Role.Administrator)
  @ApiOperation({ summary: "Set the tenant's HMAC secret for signed adapter-event posts (write-only)" })
  async set(@TenantId() tenantId: string, @ZodBody(setSecretSchema, { example: { secret: 'a-random-secret-of-32-to-256-characters' } }) body: z.infer<typeof setSecretSchema>): Promise<void> {
    await this.secrets.set(tenantId, body.secret);
  }
}
