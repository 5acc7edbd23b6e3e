import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { SecretBox } from '@switchboard/persistence';
import { LRUCache } from 'lru-cache';
import { EventBridgeConfig } from '../config';
import { SecretPurpose, TenantSecretsRepository } from './tenant-secrets.repository';

/** Tenants whose opened secrets are kept in memory at once; the least recently used go first. */
const CACHED_SECRETS = 10_000;

export interface RecentSecret {
  secret: string | undefined;
  /** True when it came from memory: it may have been replaced through another replica since (see recentSecretOf). */
  fromCache: boolean;
}

/** Per-tenant secrets, sealed at rest and never returned (P2.4). */
@Injectable()
export class TenantSecretsService {
  private readonly box: SecretBox;
  private readonly opened: LRUCache<string, string> | undefined;
  /** Counts replacements, so that a read that raced with one is not remembered. */
  private replacements = 0;

  constructor(
    private readonly secrets: TenantSecretsRepository,
    config: EventBridgeConfig,
    clock: Clock,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
    const ttl = config.TENANT_SECRET_CACHE_SEC * 1_000;
    // The service's clock measures the age, so a test can move past it.
    this.opened = ttl > 0 ? new LRUCache({ max: CACHED_SECRETS, ttl, ttlResolution: 0, perf: { now: () => clock.now().getTime() } }) : undefined;
  }

  async set(tenantId: string, purpose: SecretPurpose, secret: string): Promise<void> {
    await this.secrets.save(tenantId, purpose, this.box.seal(secret));
    // A read still under way may have seen the old secret: it must not remember it (see secretOf).
    this.replacements++;
    this.opened?.delete(cacheKey(tenantId, purpose));
  }

  /** The secret as stored now (and remembered for recentSecretOf). */
  async secretOf(tenantId: string, purpose: SecretPurpose): Promise<string | undefined> {
    const replacementsBefore = this.replacements;
    const ciphertext = await this.secrets.ciphertextOf(tenantId, purpose);
    const secret = ciphertext === undefined ? undefined : this.box.open(ciphertext);
    if (secret === undefined || replacementsBefore !== this.replacements) this.opened?.delete(cacheKey(tenantId, purpose));
    else this.opened?.set(cacheKey(tenantId, purpose), secret);
    return secret;
  }

  /**
   * The secret as read at most TENANT_SECRET_CACHE_SEC ago, without a database read and decryption on every
   * signed request. This replica forgets it when it replaces it; another replica's replacement is seen when
   * the entry expires, or at once by a caller that reads again (secretOf) when a cached secret does not match.
   */
  async recentSecretOf(tenantId: string, purpose: SecretPurpose): Promise<RecentSecret> {
    const cached = this.opened?.get(cacheKey(tenantId, purpose));
    if (cached !== undefined) return { secret: cached, fromCache: true };
    return { secret: await this.secretOf(tenantId, purpose), fromCache: false };
  }
}

const cacheKey = (tenantId: string, purpose: SecretPurpose) => `${purpose}:${tenantId}`;
