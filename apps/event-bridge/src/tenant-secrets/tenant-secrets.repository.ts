import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** What a tenant secret is for. */
export const SecretPurposes = {
  /** HMAC secret of signed adapter-event posts (P1.4). */
  ingressHmac: 'ingress-hmac',
  /** Key the customer's server signs custom_data_secured with (EB1.3). */
  customDataKey: 'custom-data-key',
} as const;

export type SecretPurpose = (typeof SecretPurposes)[keyof typeof SecretPurposes];

/** Each tenant's sealed secrets (P2.4): ciphertext only. */
@Injectable()
export class TenantSecretsRepository {
  constructor(private readonly database: PrismaService) {}

  async save(tenantId: string, purpose: SecretPurpose, ciphertext: string): Promise<void> {
    await this.database.tenantSecret.upsert({ where: { tenantId_purpose: { tenantId, purpose } }, create: { tenantId, purpose, ciphertext }, update: { ciphertext } });
  }

  async ciphertextOf(tenantId: string, purpose: SecretPurpose): Promise<string | undefined> {
    return (await this.database.tenantSecret.findUnique({ where: { tenantId_purpose: { tenantId, purpose } } }))?.ciphertext;
  }
}
