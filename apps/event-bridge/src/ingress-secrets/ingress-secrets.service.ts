import { Injectable } from '@nestjs/common';
import { SecretBox } from '@switchboard/persistence';
import { EventBridgeConfig } from '../config';
import { IngressSecretsRepository } from './ingress-secrets.repository';

/** Per-tenant HMAC secrets for server-side senders (P1.4), sealed at rest and never returned (P2.4). */
@Injectable()
export class IngressSecretsService {
  private readonly box: SecretBox;

  constructor(
    private readonly secrets: IngressSecretsRepository,
    config: EventBridgeConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async set(tenantId: string, secret: string): Promise<void> {
    await this.secrets.save(tenantId, this.box.seal(secret));
  }

  async secretOf(tenantId: string): Promise<string | undefined> {
    const ciphertext = await this.secrets.ciphertextOf(tenantId);
    return ciphertext === undefined ? undefined : this.box.open(ciphertext);
  }
}
