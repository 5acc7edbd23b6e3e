import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type CryptoKey,
  type JWSAlgorithm,
  type JWTPayload,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import {
  AuthProviderUnavailableError,
  ForbiddenError,
  InvalidTokenError,
} from '../auth-errors';
import { isGuid, type Principal } from '../principal';
import { isRole } from '../roles';
import { DEV_ISSUER } from '../dev/dev-issuer';
import { extractBearerToken } from './bearer-token';
import { expectedIssuers } from './issuer-match';
import { toAuthError } from './jose-errors';
import {
  candidateKeys,
  toStaticKey,
  type PublicKeyInput,
  type StaticKey,
} from './public-keys';

/** Asymmetric algorithms only: a shared-secret (HS*) token must never pass as an OIDC token. */
export const DEFAULT_ALGORITHMS: JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

export interface DevIssuerTrust {
  issuer: string;
  publicKey: PublicKeyInput;
}

export interface JwtVerifierOptions {
  /** Trusted `iss` values; `{tenantid}` is filled with the token's `tid` (Entra multi-tenant issuers). */
  issuers: string[];
  /** Expected `aud` (any of them, when a list). */
  audience: string | string[];
  /** OIDC provider's JWKS, fetched on demand and cached (refetched when an unknown `kid` shows up). */
  jwksUrl?: string;
  /** Static verification keys for `issuers` (PEM or JWK). */
  publicKeys?: PublicKeyInput[];
  /** Local development issuer (P1.5); set only when AUTH_DEV_ISSUER_ENABLED=true. */
  devIssuer?: DevIssuerTrust | undefined;
  /** Allowed clock skew for exp/nbf, in seconds. Default 60. */
  clockToleranceSec?: number;
  /** When set, only these tenants ("the tenants of this instance") are let in; others get 403. */
  allowedTenantIds?: string[];
  /** JWKS HTTP timeout. Default 5000 ms. */
  jwksTimeoutMs?: number;
  algorithms?: JWSAlgorithm[];
  /** Verified tokens remembered until they expire (LRU); 0 verifies every call. Default 10 000. */
  cacheSize?: number;
}

export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

type KeyResolver = (
  token: string,
  options: JWTVerifyOptions,
) => Promise<JWTPayload>;

/** Validates bearer tokens (P1.2) and turns them into a Principal. Framework-free. */
export class JwtVerifier {
  private readonly issuers: string[];
  private readonly algorithms: JWSAlgorithm[];
  private readonly clockToleranceSec: number;
  private readonly allowedTenantIds: Set<string> | undefined;
  private readonly issuerKeys: KeyResolver;
  private readonly devIssuer: { issuer: string; keys: KeyResolver } | undefined;
  private readonly verified: LRUCache<string, Principal> | undefined;

  constructor(private readonly options: JwtVerifierOptions) {
    this.issuers = [...options.issuers];
    this.algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
    this.clockToleranceSec = options.clockToleranceSec ?? 60;
    this.allowedTenantIds = options.allowedTenantIds
      ? new Set(options.allowedTenantIds.map((id) => id.toLowerCase()))
      : undefined;
    assertUsable(options);
    this.issuerKeys = issuerKeyResolver(options);
    this.devIssuer = options.devIssuer
      ? {
          issuer: options.devIssuer.issuer,
          keys: staticKeyResolver([toStaticKey(options.devIssuer.publicKey)]),
        }
      : undefined;
    const cacheSize = options.cacheSize ?? DEFAULT_TOKEN_CACHE_SIZE;
    this.verified = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : undefined;
  }

  /** Verifies the value of an `Authorization` header. */
  async verifyAuthorizationHeader(
    authorization: string | readonly string[] | undefined,
  ): Promise<Principal> {
    return this.verify(extractBearerToken(authorization));
  }

  /**
   * The caller a token stands for. A token that verified once is answered from memory until its
   * `exp` (the same Principal object, frozen), so repeated calls cost a map lookup.
   */
  async verify(token: string): Promise<Principal> {
    const remembered = this.verified?.get(token);
    if (remembered) return remembered;
    try {
      const { principal, expiresAt } = await this.verifyOrThrowJose(token);
      const ttl = expiresAt * 1000 - Date.now();
      if (this.verified && ttl > 0) this.verified.set(token, principal, { ttl });
      return principal;
    } catch (error) {
      throw toAuthError(error);
    }
  }

  private async verifyOrThrowJose(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    // Unverified peek, only to pick the trust domain; every value is verified by jwtVerify below.
    const { header, payload: unverified } = peek(token);
    if (!header.alg || !this.algorithms.includes(header.alg)) {
      throw new InvalidTokenError('algorithm_not_allowed', 'The token signing algorithm is not accepted.');
    }
    const { issuer, keys } = this.trustFor(unverified);
    const payload = await keys(token, {
      issuer,
      audience: this.options.audience,
      clockTolerance: this.clockToleranceSec,
      algorithms: this.algorithms,
      requiredClaims: ['exp'],
    });
    return { principal: this.toPrincipal(payload), expiresAt: payload.exp as number };
  }

  private trustFor(payload: JWTPayload): { issuer: string; keys: KeyResolver } {
    if (this.devIssuer && payload.iss === this.devIssuer.issuer)
      return this.devIssuer;
    const accepted = expectedIssuers(this.issuers, payload['tid']);
    if (typeof payload.iss !== 'string' || !accepted.includes(payload.iss)) {
      // Never echo the unverified value: it is the caller's text, and may not even be printable.
      throw new InvalidTokenError(
        'untrusted_issuer',
        'The token issuer is not trusted.',
        'iss',
      );
    }
    return { issuer: payload.iss, keys: this.issuerKeys };
  }

  private toPrincipal(payload: JWTPayload): Principal {
    const { tid, sub, roles, name } = payload as JWTPayload &
      Record<string, unknown>;
    if (tid === undefined)
      throw new InvalidTokenError(
        'invalid_claims',
        'The token has no "tid" (tenant) claim.',
        'tid',
      );
    if (!isGuid(tid))
      throw new InvalidTokenError(
        'invalid_claims',
        'The "tid" claim is not a GUID.',
        'tid',
      );
    if (typeof sub !== 'string' || sub.length === 0) {
      throw new InvalidTokenError(
        'invalid_claims',
        'The token has no "sub" claim.',
        'sub',
      );
    }
    if (
      roles !== undefined &&
      !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))
    ) {
      throw new InvalidTokenError(
        'invalid_claims',
        'The "roles" claim must be an array of strings.',
        'roles',
      );
    }
    const tenantId = tid.toLowerCase();
    if (this.allowedTenantIds && !this.allowedTenantIds.has(tenantId)) {
      throw new ForbiddenError(
        'tenant_not_allowed',
        'The token was issued by a tenant this instance does not serve.',
      );
    }
    // Frozen: the cache hands the same object to every request with this token.
    return Object.freeze({
      tenantId,
      subject: sub,
      roles: Object.freeze((roles ?? []).filter(isRole)) as Principal['roles'],
      ...(typeof name === 'string' ? { name } : {}),
    });
  }
}

function peek(token: string): {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
} {
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch (error) {
    // jose reports unparseable input as TypeError or JWTInvalid; either way the caller sent garbage.
    throw new InvalidTokenError(
      'malformed',
      `The token is malformed: ${(error as Error).message}`,
    );
  }
}

function assertUsable(options: JwtVerifierOptions): void {
  if (options.issuers.length === 0 && !options.devIssuer) {
    throw new Error(
      'JwtVerifier: configure at least one trusted issuer (or enable the dev issuer).',
    );
  }
  if (
    options.issuers.length > 0 &&
    !options.jwksUrl &&
    !options.publicKeys?.length
  ) {
    throw new Error(
      'JwtVerifier: trusted issuers need a jwksUrl or publicKeys to verify signatures.',
    );
  }
  if (options.issuers.includes(DEV_ISSUER)) {
    throw new Error(
      `JwtVerifier: "${DEV_ISSUER}" is accepted only through the devIssuer option.`,
    );
  }
}

function issuerKeyResolver(options: JwtVerifierOptions): KeyResolver {
  const staticKeys = (options.publicKeys ?? []).map(toStaticKey);
  const remote = options.jwksUrl
    ? remoteJwksResolver(options.jwksUrl, options.jwksTimeoutMs ?? 5000)
    : undefined;
  const local = staticKeyResolver(staticKeys);
  return async (token, verifyOptions) => {
    const fitsStatic =
      candidateKeys(staticKeys, decodeProtectedHeader(token)).length > 0;
    if (fitsStatic || !remote) return local(token, verifyOptions);
    return remote(token, verifyOptions);
  };
}

function staticKeyResolver(keys: StaticKey[]): KeyResolver {
  return async (token, verifyOptions) => {
    const candidates = candidateKeys(keys, decodeProtectedHeader(token));
    if (candidates.length === 0) throw new errors.JWKSNoMatchingKey();
    return (await verifyWithAnyKey(token, candidates, verifyOptions)).payload;
  };
}

function remoteJwksResolver(url: string, timeoutDuration: number): KeyResolver {
  const jwks = createRemoteJWKSet(new URL(url), { timeoutDuration });
  const getKey: typeof jwks = Object.assign(
    async (...args: Parameters<typeof jwks>) => {
      try {
        return await jwks(...args);
      } catch (error) {
        if (isKeySelectionError(error)) throw error;
        throw new AuthProviderUnavailableError(
          `The identity provider's signing keys could not be loaded from ${url}.`,
          {
            cause: error,
          },
        );
      }
    },
    jwks,
  );
  return async (token, verifyOptions) => {
    try {
      return (await jwtVerify(token, getKey, verifyOptions)).payload;
    } catch (error) {
      // jose's documented way out when several JWKS keys fit (no `kid`): try each one.
      if (error instanceof errors.JWKSMultipleMatchingKeys) {
        const keys: KeyObject[] = [];
        for await (const key of error as unknown as AsyncIterable<KeyObject>)
          keys.push(key);
        return (await verifyWithAnyKey(token, keys, verifyOptions)).payload;
      }
      throw error;
    }
  };
}

function isKeySelectionError(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

async function verifyWithAnyKey(
  token: string,
  keys: readonly (KeyObject | CryptoKey)[],
  options: JWTVerifyOptions,
) {
  // No error object is built on the way to a success: constructing jose's errors (stack traces)
  // was measurable on the hot path.
  let lastError: unknown;
  for (const key of keys) {
    try {
      return await jwtVerify(token, key, options);
    } catch (error) {
      if (!(error instanceof errors.JWSSignatureVerificationFailed))
        throw error;
      lastError = error;
    }
  }
  throw lastError ?? new errors.JWSSignatureVerificationFailed();
}
