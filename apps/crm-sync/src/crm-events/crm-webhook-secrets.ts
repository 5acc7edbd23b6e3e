import { Injectable } from '@nestjs/common';
import { SecretBox } from '@switchboard/persistence';
import { CrmSyncConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

/** Per-tenant HMAC secrets of the CRM case-event webhook (P1.4), sealed at rest and never returned (P2.4). */
@Injectable()
export class CrmWebhookSecrets {
  private readonly box: SecretBox;

  constructor(
    private readonly database: PrismaService,
    config: CrmSyncConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async set(tenantId: string, secret: string): Promise<void> {
    const secretSealed = this.box.seal(secret);
    await this.database.crmWebhookSecret.upsert({ where: { tenantId }, create: { tenantId, secretSealed }, update: { secretSealed } });
  }

  async secretOf(tenantId: string): Promise<string | undefined> {
    const row = await this.database.crmWebhookSecret.findUnique({ where: { tenantId } });
    return row ? this.box.open(row.secretSealed) : undefined;
  }
}
