import type { HostResolver, OutboundAddressPolicy } from '@switchboard/outbound-http';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { allowedAddressOf } from './address-guard';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s) agents: every connection resolves through allowedAddressOf, so an
 * administrator's endpoint can never reach an address the SSRF policy refuses (P2.5), and the socket
 * gets exactly the checked address.
 */
export function guardedLookup(policy: OutboundAddressPolicy, resolver?: HostResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    allowedAddressOf(hostname, policy, resolver).then(
      (address) => {
        const family = isIP(address);
        if (options.all) callback(null, [{ address, family }]);
        else callback(null, address, family);
      },
      (error: Error) => callback(Object.assign(error, { code: 'ESSRFREFUSED' }), []),
    );
  };
}
