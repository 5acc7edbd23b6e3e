import { Injectable } from '@nestjs/common';
import { findUnsafeJsonContent } from '@switchboard/service-kit';
import { jwtVerify } from 'jose';
import { TenantSecretsService } from '../tenant-secrets/tenant-secrets.service';

export type CustomDataCheck = { verified: true; claims: Record<string, unknown> } | { verified: false };

/** Seconds of clock difference allowed for the token's exp / nbf, as for bearer tokens. */
const CLOCK_TOLERANCE_SEC = 60;

/**
 * custom_data_secured (EB1.3): custom data the customer's server signs, carried by the adapters as an
 * HS256 JWT, checked against the tenant's own key (PUT /admin/custom-data-key). Whatever fails (no
 * key, wrong signature, another algorithm, expired, claims that cannot be stored) is "not verified",
 * and its claims are never used.
 */
@Injectable()
export class CustomDataService {
  constructor(private readonly secrets: TenantSecretsService) {}

  /** Checks the tokens of one request's events, reading the tenant's key once, on first use. */
  verifierFor(tenantId: string): (token: string) => Promise<CustomDataCheck> {
    let key: Promise<Uint8Array | undefined> | undefined;
    return async (token) => {
      key ??= this.secrets.secretOf(tenantId, 'customDataKey').then((secret) => (secret === undefined ? undefined : new TextEncoder().encode(secret)));
      const secret = await key;
      return secret ? verifyCustomData(token, secret) : { verified: false };
    };
  }
}

async function verifyCustomData(token: string, key: Uint8Array): Promise<CustomDataCheck> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], clockTolerance: CLOCK_TOLERANCE_SEC });
    // Signed is not the same as storable: the claims get the checks every request body gets.
    if (findUnsafeJsonContent(payload, 1).length > 0) return { verified: false };
    return { verified: true, claims: payload };
  } catch {
    return { verified: false };
  }
}
