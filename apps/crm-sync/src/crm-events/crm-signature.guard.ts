import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { TenantSigned, type TenantSignatureKeys } from '@switchboard/platform';
import { CrmSyncConfig } from '../config';
import { CrmWebhookSecrets } from './crm-webhook-secrets';

export { SignedTenant, TENANT_HEADER } from '@switchboard/platform';

/**
 * A CRM's webhook call (P1.4) is signed like every server-side sender of the platform (the shared
 * TenantSigned guard) with the tenant's webhook secret. A timestamp more than
 * CRM_WEBHOOK_SIGNATURE_TOLERANCE_SEC from the Clock's now is refused, so a captured request cannot be
 * replayed later; within the window a replay is a duplicate of the CRM's event id.
 */
@Injectable()
export class CrmSignatureKeys implements TenantSignatureKeys {
  readonly toleranceSec: number;

  constructor(
    private readonly secrets: CrmWebhookSecrets,
    private readonly clock: Clock,
    config: CrmSyncConfig,
  ) {
    this.toleranceSec = config.CRM_WEBHOOK_SIGNATURE_TOLERANCE_SEC;
  }

  async secretOf(tenantId: string): Promise<{ secret: string | undefined }> {
    return { secret: await this.secrets.secretOf(tenantId) };
  }

  now(): Date {
    return this.clock.now();
  }
}

/** A route for a CRM's signed webhook calls: no bearer token, a tenant signature instead. */
export function CrmSigned(): MethodDecorator & ClassDecorator {
  return TenantSigned({ keys: CrmSignatureKeys, signatureDescription: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the webhook secret' });
}
