import {
  createPublicKey,
  KeyObject,
  type JsonWebKey,
  type webcrypto,
} from 'node:crypto';
import type { JWK } from 'jose';

/** A verification key as configured: PEM text (SPKI, PKCS#1 or an X.509 certificate), a JWK, or a key object. */
export type PublicKeyInput = string | JWK | KeyObject | webcrypto.CryptoKey;

export interface StaticKey {
  key: KeyObject;
  /** From the JWK, when given: tokens naming a `kid` are matched against it. */
  kid?: string;
  /** From the JWK, when given: the only algorithm this key may verify. */
  alg?: string;
}

export function toStaticKey(input: PublicKeyInput): StaticKey {
  if (input instanceof KeyObject) return { key: publicOnly(input) };
  if (typeof input === 'string') return { key: createPublicKey(input) };
  if (isCryptoKey(input)) return { key: publicOnly(KeyObject.from(input)) };
  const jwk = input as JWK;
  if (jwk.kty === 'oct')
    throw new Error(
      'Symmetric JWKs cannot verify tokens here: configure public keys only.',
    );
  const key = publicOnly(
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
  );
  return {
    key,
    ...(jwk.kid ? { kid: jwk.kid } : {}),
    ...(jwk.alg ? { alg: jwk.alg } : {}),
  };
}

function isCryptoKey(value: unknown): value is webcrypto.CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    'algorithm' in value &&
    'usages' in value
  );
}

// A private key would verify too, but holding one in a verifier is a configuration mistake.
function publicOnly(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** Whether `key` can carry the JWS algorithm `alg` (RFC 7518 key types and curves). */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (/^RS(256|384|512)$/.test(alg)) return type === 'rsa';
  if (/^PS(256|384|512)$/.test(alg))
    return type === 'rsa' || type === 'rsa-pss';
  if (alg === 'ES256') return type === 'ec' && curve === 'prime256v1';
  if (alg === 'ES384') return type === 'ec' && curve === 'secp384r1';
  if (alg === 'ES512') return type === 'ec' && curve === 'secp521r1';
  if (alg === 'EdDSA' || alg === 'Ed25519') return type === 'ed25519';
  return false;
}

/**
 * Keys that may have signed a token with this header. A `kid` selects keys with that id; keys
 * configured without an id (PEM) stay candidates when no key claims the `kid`.
 */
export function candidateKeys(
  keys: readonly StaticKey[],
  header: { alg?: string; kid?: string },
): KeyObject[] {
  const alg = header.alg ?? '';
  const usable = keys.filter(
    (k) =>
      keyFitsAlgorithm(k.key, alg) && (k.alg === undefined || k.alg === alg),
  );
  const byKid =
    header.kid === undefined ? [] : usable.filter((k) => k.kid === header.kid);
  const chosen =
    byKid.length > 0
      ? byKid
      : usable.filter((k) => header.kid === undefined || k.kid === undefined);
  return chosen.map((k) => k.key);
}
