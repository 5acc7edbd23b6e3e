import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { OutboundAddressPolicy } from './address-policy';
import type { HostResolver } from './host-resolver';
import { OutboundHttpError } from './outbound-errors';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves once, refuses the connection when any address of
 * the name is refused by the policy (a name that also resolves to loopback is not "mostly public"),
 * and hands exactly the checked addresses to the socket: there is no second resolution that DNS
 * rebinding could answer differently.
 */
function guardedLookup(policy: OutboundAddressPolicy, resolve: HostResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        if (!policy.allowsHost(hostname)) {
          for (const { address } of wanted) {
            const refusal = policy.refusalOf(address);
            if (refusal) return callback(new OutboundHttpError('address-refused', `${hostname} resolves to a ${refusal}, which outbound calls may not reach`) as NodeJS.ErrnoException, []);
          }
        }
        if (options.all) return callback(null, wanted);
        return callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * undici's connector with the policy applied to the address actually connected to: IP literals
 * before connecting (net skips `lookup` for them), names through guardedLookup, and the socket's
 * remote address once more after connecting.
 */
export function guardedConnector(policy: OutboundAddressPolicy, resolve: HostResolver, connectTimeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: connectTimeoutMs, lookup: guardedLookup(policy, resolve) } as buildConnector.BuildOptions);
  return (options, callback) => {
    const host = bareHost(options.hostname);
    const hostAllowed = !isIP(host) && policy.allowsHost(host);
    const literalRefusal = isIP(host) ? policy.refusalOf(host) : undefined;
    if (literalRefusal) {
      callback(new OutboundHttpError('address-refused', `${host} is a ${literalRefusal}, which outbound calls may not reach`), null);
      return;
    }
    connect(options, (error, socket) => {
      if (error || !socket) return callback(error, null);
      const remote = (socket as Socket).remoteAddress;
      const refusal = hostAllowed ? undefined : remote === undefined ? 'closed connection' : policy.refusalOf(remote);
      if (refusal) {
        socket.destroy();
        return callback(new OutboundHttpError('address-refused', `${host} connected to a ${refusal}, which outbound calls may not reach`), null);
      }
      return callback(null, socket);
    });
  };
}
