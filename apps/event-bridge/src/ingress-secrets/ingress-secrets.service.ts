import { Injectable } from '@nestjs/common';
import { SecretBox } from '@switchboard/persistence';
import { EventBridgeConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

/** Per-tenant HMAC secrets for server-side senders (P1.4), sealed at rest and never returned (P2.4). */
@Injectable()
export class IngressSecretsService {
  private readonly box: SecretBox;

  constructor(
    private readonly prisma: PrismaService,
    config: EventBridgeConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async set(tenantId: string, secret: string): Promise<void> {
    const secretCiphertext = this.box.seal(secret);
    await this.prisma.ingressSecret.upsert({ where: { tenantId }, create: { tenantId, secretCiphertext }, update: { secretCiphertext } });
  }

  async secretOf(tenantId: string): Promise<string | undefined> {
    const row = await this.prisma.ingressSecret.findUnique({ where: { tenantId } });
    return row ? this.box.open(row.secretCiphertext) : undefined;
  }
}
