import { type HostResolver, type OutboundAddressPolicy, systemResolver } from '@switchboard/outbound-http';
import { isIP } from 'node:net';
import { DestinationError } from './storage-destination';

/**
 * The address to connect to for an administrator's host, checked by the deployment's SSRF policy
 * (P2.5): every address the name has must be allowed (or the name itself allow-listed). Connecting to
 * the returned address, not the name, leaves no second resolution for DNS rebinding to answer.
 */
export async function allowedAddressOf(host: string, policy: OutboundAddressPolicy, resolve: HostResolver = systemResolver): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) {
    const refusal = policy.refusalOf(bare);
    if (refusal) throw refused(`${bare} is a ${refusal}`);
    return bare;
  }
  let addresses;
  try {
    addresses = await resolve(bare);
  } catch (error) {
    throw new DestinationError('host_unreachable', `${bare} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS failure'})`, { cause: error });
  }
  if (addresses.length === 0) throw new DestinationError('host_unreachable', `${bare} has no address`);
  if (!policy.allowsHost(bare)) {
    for (const { address } of addresses) {
      const refusal = policy.refusalOf(address);
      if (refusal) throw refused(`${bare} resolves to a ${refusal}`);
    }
  }
  return addresses[0].address;
}

function refused(what: string): DestinationError {
  return new DestinationError('address_refused', `${what}, which storage connections may not reach (the deployment's OUTBOUND_HTTP_ALLOW can allow it)`, { retryable: false });
}
