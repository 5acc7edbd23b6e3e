import { Injectable } from '@nestjs/common';
import { TenantSigned as SignedByTenant, type TenantSignatureKeys } from '@switchboard/platform';
import { EventBridgeConfig } from '../config';
import { TenantSecretsService } from './tenant-secrets.service';

export { SignedTenant, TENANT_HEADER } from '@switchboard/platform';

/**
 * Where the shared signature guard finds a server-side sender's secret (adapter events EB1.1 b,
 * contact-session events; P1.4): the tenant's ingress secret, remembered for TENANT_SECRET_CACHE_SEC
 * (a mismatch against a remembered one reads the stored one), within
 * ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC of now (a resend within the window is a duplicate, EB2.2).
 */
@Injectable()
export class IngressSignatureKeys implements TenantSignatureKeys {
  readonly toleranceSec: number;

  constructor(
    private readonly secrets: TenantSecretsService,
    config: EventBridgeConfig,
  ) {
    this.toleranceSec = config.ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC;
  }

  secretOf(tenantId: string): Promise<{ secret: string | undefined; fromCache: boolean }> {
    return this.secrets.recentSecretOf(tenantId, 'ingressHmac');
  }

  storedSecretOf(tenantId: string): Promise<string | undefined> {
    return this.secrets.secretOf(tenantId, 'ingressHmac');
  }
}

const SIGNATURE_DESCRIPTION = 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the tenant\'s ingress secret; t within ±300 s (ADAPTER_EVENT_SIGNATURE_TOLERANCE_SEC)';

/** A route or controller for server-side senders, signed with the tenant's ingress secret. */
export function TenantSigned(): MethodDecorator & ClassDecorator {
  return SignedByTenant({ keys: IngressSignatureKeys, signatureDescription: SIGNATURE_DESCRIPTION });
}
