import { Injectable } from '@nestjs/common';
import type { RateRule } from '../config/env-schemas';
import { ServiceConfig } from '../config/service-config';
import { type Admission, TokenBuckets } from './token-bucket';
import { TooManyRequests } from './too-many-requests';

/**
 * The service's rate budgets (P2.3): per client address before anything else (with a tighter one
 * for failed authentications: an address that used it up is refused until it refills), and per
 * tenant once the caller is authenticated. A rule set to `off` is not enforced.
 */
@Injectable()
export class RateLimits {
  private readonly perAddress?: TokenBuckets;
  private readonly perTenant?: TokenBuckets;
  private readonly failedAuthentications?: TokenBuckets;

  constructor(config: ServiceConfig) {
    this.perAddress = bucketsFor(config.RATE_LIMIT_PER_ADDRESS);
    this.perTenant = bucketsFor(config.RATE_LIMIT_PER_TENANT);
    this.failedAuthentications = bucketsFor(config.RATE_LIMIT_FAILED_AUTH_PER_ADDRESS);
  }

  /** Throws TooManyRequests when `address` has no budget left, or too many failed authentications. */
  admitAddress(address: string): void {
    refuseUnless(this.failedAuthentications?.peek(address), 'Too many failed authentications from this address');
    refuseUnless(this.perAddress?.take(address), 'Too many requests from this address');
  }

  admitTenant(tenantId: string): void {
    refuseUnless(this.perTenant?.take(tenantId), 'Too many requests for this tenant');
  }

  /** Called for every 401 answered to `address`. */
  recordFailedAuthentication(address: string): void {
    this.failedAuthentications?.take(address);
  }
}

function bucketsFor(rule: RateRule | false): TokenBuckets | undefined {
  return rule ? new TokenBuckets(rule) : undefined;
}

function refuseUnless(admission: Admission | undefined, reason: string): void {
  if (admission && !admission.admitted) throw new TooManyRequests(reason, admission.retryAfterSeconds);
}
