import { AllowListError, parseAllowList } from '@switchboard/outbound-http';
import { baseServiceEnv, envInt, envList, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';

export const crmSyncEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: z.base64().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  // Addresses (CIDRs) and exact host names that admin-configured URLs may reach although they are
  // loopback, private or link-local (P2.5): e.g. a CRM inside the company network, or local simulators.
  OUTBOUND_HTTP_ALLOW: envList()
    .refine(
      (entries) => {
        try {
          parseAllowList(entries);
          return true;
        } catch (error) {
          if (error instanceof AllowListError) return false;
          throw error;
        }
      },
      'must be a comma-separated list of CIDR ranges, addresses or host names',
    )
    .default([]),
  // Largest answer read from a CRM or token endpoint.
  OUTBOUND_HTTP_MAX_RESPONSE_BYTES: envInt({ min: 1024, max: 100 * 1024 * 1024 }).default(1024 * 1024),
});

/** The service's validated environment, injected by class. */
export class CrmSyncConfig extends serviceConfigClass(crmSyncEnv) {}
