import type { DestinationSettings } from '../destinations';
import type { DestinationInput } from './storage-settings.schema';

/** The write-only fields of each backend. */
const SECRET_FIELDS = { sftp: ['password', 'privateKey', 'passphrase'], s3: ['secretAccessKey'] } as const;
/** The fields that name where the secrets are presented: change one and the stored secrets are not reused. */
const IDENTITY_FIELDS = { sftp: ['host', 'port', 'username'], s3: ['endpoint', 'bucket', 'accessKeyId'] } as const;

export type DestinationSecrets = Record<string, string>;

/** A destination split into what may be shown and stored in clear, and its secrets. */
export function splitSecrets(destination: DestinationInput): { shown: Record<string, unknown>; secrets: DestinationSecrets } {
  const secretNames: readonly string[] = SECRET_FIELDS[destination.backend];
  const shown: Record<string, unknown> = {};
  const secrets: DestinationSecrets = {};
  for (const [name, value] of Object.entries(destination)) {
    if (value === undefined) continue;
    if (secretNames.includes(name)) secrets[name] = value as string;
    else shown[name] = value;
  }
  return { shown, secrets };
}

/**
 * Secrets left out of a request keep their stored values (write-only secrets), but only while the
 * backend and where they are presented (host, port and user; endpoint, bucket and key id) stay the
 * same: a stored password is never sent to a host it was not written for.
 */
export function mergeSecrets(input: DestinationInput, submitted: DestinationSecrets, stored: { shown: Record<string, unknown>; secrets: DestinationSecrets } | undefined): DestinationSecrets {
  if (!stored || stored.shown['backend'] !== input.backend) return submitted;
  const identity: readonly string[] = IDENTITY_FIELDS[input.backend];
  const sameTarget = identity.every((field) => stored.shown[field] === (input as Record<string, unknown>)[field]);
  return sameTarget ? { ...stored.secrets, ...submitted } : submitted;
}

/** Names of the secret fields that are set, as the API shows them: passwordSet, privateKeySet, … */
export function secretFlags(backend: DestinationInput['backend'], secrets: DestinationSecrets): Record<string, boolean> {
  return Object.fromEntries(SECRET_FIELDS[backend].map((name) => [`${name}Set`, secrets[name] !== undefined]));
}

/** The destination's full settings for opening a connection. */
export function openedSettings(shown: Record<string, unknown>, secrets: DestinationSecrets, folderPath: string): DestinationSettings {
  return { ...shown, ...secrets, folderPath } as unknown as DestinationSettings;
}
