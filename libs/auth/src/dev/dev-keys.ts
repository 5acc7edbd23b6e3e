import { createPublicKey, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  type CryptoKey,
  type JWK,
} from 'jose';

export const DEV_KEY_ALG = 'ES256';
export const DEV_PRIVATE_KEY_FILE = 'private-key.pem';
export const DEV_PUBLIC_KEY_FILE = 'public-key.pem';

export interface DevKeys {
  alg: typeof DEV_KEY_ALG;
  /** RFC 7638 thumbprint of the public key, sent as the token's `kid`. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  publicKeyPem: string;
}

/** A fresh in-memory dev key pair (tests that need no files). */
export async function generateDevKeys(): Promise<DevKeys> {
  const { privateKey } = await generateKeyPair(DEV_KEY_ALG, {
    extractable: true,
  });
  return fromPrivatePem(await exportPKCS8(privateKey));
}

/**
 * The dev key pair stored in `dir`, created on first use. Several processes may start at once:
 * the private key is published with link(2), which fails if another process already published
 * one, so everybody ends up with the same key.
 */
export async function loadOrCreateDevKeys(dir: string): Promise<DevKeys> {
  const privatePath = join(dir, DEV_PRIVATE_KEY_FILE);
  const existing = await readIfPresent(privatePath);
  if (existing !== undefined) return fromPrivatePem(existing);

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const generated = await generateDevKeys();
  const pending = join(dir, `.${DEV_PRIVATE_KEY_FILE}.${randomUUID()}`);
  await writeFile(pending, await exportPKCS8(generated.privateKey), {
    mode: 0o600,
  });
  try {
    await link(pending, privatePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(pending, { force: true });
  }
  const keys = await fromPrivatePem(await readFile(privatePath, 'utf8'));
  // For people wiring other tools to the dev issuer; derived, so rewriting it is harmless.
  await writeFile(join(dir, DEV_PUBLIC_KEY_FILE), keys.publicKeyPem, {
    mode: 0o644,
  });
  return keys;
}

async function fromPrivatePem(privatePem: string): Promise<DevKeys> {
  const privateKey = await importPKCS8(privatePem, DEV_KEY_ALG, {
    extractable: true,
  });
  const publicKeyPem = createPublicKey(privatePem)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const publicKey = await importSPKI(publicKeyPem, DEV_KEY_ALG, {
    extractable: true,
  });
  const bareJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(bareJwk);
  return {
    alg: DEV_KEY_ALG,
    kid,
    privateKey,
    publicKey,
    publicKeyPem,
    publicJwk: { ...bareJwk, kid, alg: DEV_KEY_ALG, use: 'sig' },
  };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
