import { SignJWT } from 'jose';
import { isGuid } from '../principal';
import { isRole, type Role } from '../roles';
import { DEFAULT_AUDIENCE, DEV_ISSUER, defaultDevKeysDir } from './dev-issuer';
import { loadOrCreateDevKeys, type DevKeys } from './dev-keys';

export interface MintDevTokenOptions {
  tenantId: string;
  roles: Role[];
  /** `sub`; default `dev-user`. */
  subject?: string;
  /** Lifetime in seconds; default 3600. */
  ttlSec?: number;
  /** `aud`; default DEFAULT_AUDIENCE. */
  audience?: string;
  name?: string;
  /** Signing keys; default: loadOrCreateDevKeys(keysDir ?? defaultDevKeysDir()). */
  keys?: DevKeys;
  keysDir?: string;
  /** Issue time, for tests of expiry; default now. */
  issuedAt?: Date;
  /** Override `iss`, for tests of issuer checks; default DEV_ISSUER. */
  issuer?: string;
}

/** A development token (P1.5) shaped like an Entra ID access token: iss, aud, tid, sub, roles, exp. */
export async function mintDevToken(
  options: MintDevTokenOptions,
): Promise<string> {
  if (!isGuid(options.tenantId))
    throw new Error(`tenantId must be a GUID, got "${options.tenantId}".`);
  const unknownRoles = options.roles.filter((role) => !isRole(role));
  if (unknownRoles.length > 0)
    throw new Error(`Unknown roles: ${unknownRoles.join(', ')}.`);
  const ttlSec = options.ttlSec ?? 3600;
  if (!Number.isInteger(ttlSec) || ttlSec <= 0)
    throw new Error(`ttlSec must be a positive integer, got ${ttlSec}.`);

  const keys =
    options.keys ??
    (await loadOrCreateDevKeys(options.keysDir ?? defaultDevKeysDir()));
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({
    tid: options.tenantId.toLowerCase(),
    roles: options.roles,
    ...(options.name ? { name: options.name } : {}),
  })
    .setProtectedHeader({ alg: keys.alg, kid: keys.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setSubject(options.subject ?? 'dev-user')
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttlSec)
    .sign(keys.privateKey);
}
