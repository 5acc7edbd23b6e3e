import type { DestinationSettings } from '../destinations';
import type { DestinationInput } from './storage-settings.schema';

/** The write-only fields of each backend. */
const SECRET_FIELDS = { sftp: ['password', 'privateKey', 'passphrase'], s3: ['secretAccessKey'], gcs: ['privateKey'] } as const;
/** The fields that name where the secrets are presented: change one and the stored secrets are not reused. */
const IDENTITY_FIELDS = { sftp: ['host', 'port', 'username'], s3: ['endpoint', 'bucket', 'accessKeyId'], gcs: ['bucket', 'clientEmail'] } as const;

export type DestinationSecrets = Record<string, string>;

/** A destination as it is stored: one level of fields (a GCS key file becomes clientEmail, projectId, privateKeyId and the secret privateKey). */
export type FlatDestination = Record<string, unknown> & { backend: DestinationInput['backend'] };

export function flattenDestination(destination: DestinationInput): FlatDestination {
  if (destination.backend !== 'gcs') return { ...destination };
  const { serviceAccountKey: key, clientEmail, bucket } = destination;
  if (!key) return { backend: 'gcs', bucket, clientEmail };
  return { backend: 'gcs', bucket, clientEmail: key.client_email, projectId: key.project_id, privateKeyId: key.private_key_id, privateKey: key.private_key };
}

/** A destination split into what may be shown and stored in clear, and its secrets. */
export function splitSecrets(destination: FlatDestination): { shown: Record<string, unknown>; secrets: DestinationSecrets } {
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
export function mergeSecrets(input: FlatDestination, submitted: DestinationSecrets, stored: { shown: Record<string, unknown>; secrets: DestinationSecrets } | undefined): DestinationSecrets {
  if (!stored || stored.shown['backend'] !== input.backend) return submitted;
  const identity: readonly string[] = IDENTITY_FIELDS[input.backend];
  const sameTarget = identity.every((field) => stored.shown[field] === input[field]);
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
