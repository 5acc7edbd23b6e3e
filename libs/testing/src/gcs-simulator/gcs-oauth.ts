import { createPublicKey, createVerify, generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';

/** Google's OAuth 2.0 service-account flow (RFC 7523 JWT bearer grant), as the simulator checks it. */

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Token endpoints a signed assertion may name as its audience (Google accepts both of its own). */
const GOOGLE_TOKEN_AUDIENCES = ['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v4/token'];
const MAX_LIFETIME_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 300;
export const STORAGE_SCOPES = ['https://www.googleapis.com/auth/devstorage.full_control', 'https://www.googleapis.com/auth/devstorage.read_write', 'https://www.googleapis.com/auth/cloud-platform'];

/** The JSON key file the Cloud Console hands out for a service account ("Create key" → JSON). */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/** A service account the simulator knows: its email and the public part of its key (what Google keeps). */
export interface SimulatedServiceAccount {
  email: string;
  keyId: string;
  publicKey: KeyObject;
}

/** Creates a service account key pair; the simulator keeps only the public key, the caller gets the key file. */
export function createServiceAccount(tokenUri: string, projectId: string, name = 'storage-export'): { account: SimulatedServiceAccount; keyFile: ServiceAccountKeyFile } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `${name}@${projectId}.iam.gserviceaccount.com`;
  const keyId = randomBytes(20).toString('hex');
  return {
    account: { email, keyId, publicKey },
    keyFile: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: String(100_000_000_000_000_000_000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    },
  };
}

/** A public key given as PEM (e.g. an existing key file's public part). */
export function publicKeyOf(privateKeyPem: string): KeyObject {
  return createPublicKey(privateKeyPem);
}

/** An issued access token. */
export interface IssuedToken {
  token: string;
  email: string;
  scopes: string[];
  expiresAt: number;
}

/** The token endpoint's refusal, as Google answers it: `{error, error_description}` with 400 (or 401 for an unknown client). */
export class TokenRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * Checks a JWT bearer assertion: RS256 signature by the named account's key (verified with its public key),
 * `iss` a known account, `aud` this token endpoint or Google's, `iat`/`exp` within an hour and the clock,
 * `scope` naming a Cloud Storage scope. Returns the token to issue.
 */
export function exchangeAssertion(assertion: string, accounts: ReadonlyMap<string, SimulatedServiceAccount>, ownTokenUri: string, now = Date.now()): IssuedToken {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT: the assertion is not a signed JWT (header.payload.signature).');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!header || !claims) throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT: header or claim set is not base64url JSON.');
  if (header['alg'] !== 'RS256') throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT: only RS256 is accepted.');
  const account = typeof claims['iss'] === 'string' ? accounts.get(claims['iss']) : undefined;
  if (!account) throw new TokenRefusal(400, 'invalid_grant', 'Invalid grant: account not found');
  const verifier = createVerify('RSA-SHA256').update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(account.publicKey, Buffer.from(signaturePart, 'base64url'))) throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT Signature.');
  if (![ownTokenUri, ...GOOGLE_TOKEN_AUDIENCES].includes(String(claims['aud']))) throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT: the audience is not the token endpoint.');
  const seconds = Math.floor(now / 1000);
  const iat = Number(claims['iat']);
  const exp = Number(claims['exp']);
  if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= iat || exp - iat > MAX_LIFETIME_SECONDS || iat > seconds + CLOCK_SKEW_SECONDS || exp < seconds - CLOCK_SKEW_SECONDS) {
    throw new TokenRefusal(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  const scopes = String(claims['scope'] ?? '').split(' ').filter(Boolean);
  if (!scopes.some((scope) => STORAGE_SCOPES.includes(scope))) throw new TokenRefusal(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  return { token: `ya29.sim-${randomUUID()}`, email: account.email, scopes, expiresAt: now + MAX_LIFETIME_SECONDS * 1000 };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
