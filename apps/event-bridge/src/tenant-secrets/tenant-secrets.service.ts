import { Injectable } from '@nestjs/common';
import { SecretBox } from '@switchboard/persistence';
import { EventBridgeConfig } from '../config';
import { SecretPurpose, TenantSecretsRepository } from './tenant-secrets.repository';

/** Per-tenant secrets, sealed at rest and never returned (P2.4). */
@Injectable()
export class TenantSecretsService {
  private readonly box: SecretBox;

  constructor(
    private readonly secrets: TenantSecretsRepository,
    config: EventBridgeConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async set(tenantId: string, purpose: SecretPurpose, secret: string): Promise<void> {
    await this.secrets.save(tenantId, purpose, this.box.seal(secret));
  }

  async secretOf(tenantId: string, purpose: SecretPurpose): Promise<string | undefined> {
    const ciphertext = await this.secrets.ciphertextOf(tenantId, purpose);
    return ciphertext === undefined ? undefined : this.box.open(ciphertext);
  }
}
