import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Addresses a cloud instance answers with its own credentials. They sit in the link-local and
 * unique-local ranges (refused anyway); they are named so that a refusal says what was at stake.
 */
const CLOUD_METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/**
 * The one ipaddr.js range name of a public address. Everything else — loopback, private (RFC 1918),
 * carrier-grade NAT, link-local, unique-local, unspecified, broadcast, multicast, reserved, and the
 * IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo) — is refused unless allow-listed.
 */
const PUBLIC_RANGE = 'unicast';

/** One entry of a deployment's allow-list: a CIDR range (or single address), or an exact host name. */
export type AllowListEntry = { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; text: string } | { kind: 'host'; host: string };

export class AllowListError extends Error {}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Parses `OUTBOUND_HTTP_ALLOW`-style entries: `10.0.0.0/8`, `127.0.0.2`, `::1/128`, `crm.internal`.
 * A host entry lets that exact name (not its subdomains) reach any address it resolves to.
 */
export function parseAllowList(entries: readonly string[]): AllowListEntry[] {
  return entries.map((raw) => {
    const text = raw.trim().toLowerCase();
    const bare = text.replace(/^\[(.*)\](\/\d+)?$/, '$1$2');
    if (bare.includes('/')) {
      try {
        const [address, prefix] = ipaddr.parseCIDR(bare);
        return { kind: 'range', range: [address, prefix], text };
      } catch {
        throw new AllowListError(`"${raw}" is not a CIDR range`);
      }
    }
    if (ipaddr.isValid(bare)) {
      const address = ipaddr.parse(bare);
      return { kind: 'range', range: [address, address.kind() === 'ipv4' ? 32 : 128], text };
    }
    if (!HOST_NAME.test(text)) throw new AllowListError(`"${raw}" is neither an address, a CIDR range nor a host name`);
    return { kind: 'host', host: text };
  });
}

/** Why an address may not be connected to, in words for an administrator. */
export function blockedRangeOf(address: string): string | undefined {
  const parsed = ipaddr.process(address);
  const normal = parsed.toNormalizedString();
  if (CLOUD_METADATA_ADDRESSES.has(normal) || CLOUD_METADATA_ADDRESSES.has(parsed.toString())) return 'cloud metadata';
  const range = parsed.range();
  return range === PUBLIC_RANGE ? undefined : range;
}

/**
 * Decides which addresses outbound calls to administrator-configured URLs may reach (P2.5): public
 * unicast addresses, plus whatever the deployment's allow-list names. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are judged as the IPv4 address they carry.
 */
export class OutboundAddressPolicy {
  private readonly ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  private readonly hosts: ReadonlySet<string>;

  constructor(allowList: readonly AllowListEntry[] = []) {
    this.ranges = allowList.flatMap((entry) => (entry.kind === 'range' ? [entry.range] : []));
    this.hosts = new Set(allowList.flatMap((entry) => (entry.kind === 'host' ? [entry.host] : [])));
  }

  static fromEntries(entries: readonly string[]): OutboundAddressPolicy {
    return new OutboundAddressPolicy(parseAllowList(entries));
  }

  /** True when the host name itself is allow-listed (its addresses are then not judged). */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  /** Undefined when the address may be reached; otherwise why not ("loopback", "private", "cloud metadata", …). */
  refusalOf(address: string): string | undefined {
    if (!isIP(address)) return 'not an IP address';
    const parsed = ipaddr.process(address);
    if (this.ranges.some(([network, prefix]) => network.kind() === parsed.kind() && parsed.match(network, prefix))) return undefined;
    const blocked = blockedRangeOf(address);
    if (blocked === undefined) return undefined;
    // ::ffff:127.0.0.1 is judged as 127.0.0.1: say so.
    return parsed.toString() === address ? `${blocked} address` : `${blocked} address (${parsed.toString()})`;
  }
}
