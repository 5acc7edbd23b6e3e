import { closed, wholeNumber } from '@switchboard/validation';
import { z } from 'zod';
import { hasControlCharacter } from '../destinations/destination-path';

/** SE1.1 the kinds of session files that may be stored. */
export const FILE_KINDS = ['recordings', 'voicemails', 'transcripts', 'media', 'metadata'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** SE1.5 where links for the agent adapter and reports point: the CRM's copy or the external storage's. */
export const URL_SOURCES = ['external_storage', 'crm'] as const;
export type UrlSource = (typeof URL_SOURCES)[number];

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]+\]?$/;
const visibleLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasControlCharacter(value), 'must be one line without control characters');
const secret = (max: number) => z.string().min(1).max(max);

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine((value) => HOST_NAME.test(value) || IPV4.test(value) || (value.includes(':') && IPV6.test(value)), 'must be a host name or an IP address');

const privateKey = z
  .string()
  .max(16 * 1024)
  .refine((value) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value), 'must be a private key in PEM or OpenSSH format (-----BEGIN … PRIVATE KEY-----)');

/** SE1.2 SFTP. Secrets are write-only: left out, the stored ones are kept (same host, port and user only). */
const sftpSchema = closed({
  backend: z.literal('sftp'),
  host,
  port: wholeNumber({ min: 1, max: 65_535 }).default(22),
  username: visibleLine(256),
  password: secret(1024).optional(),
  privateKey: privateKey.optional(),
  passphrase: secret(1024).optional(),
  hostKeyFingerprint: z
    .string()
    .trim()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256:…, 43 base64 characters)')
    .optional(),
});

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** Beyond the source: any S3-compatible bucket. The secret key is write-only (same endpoint, bucket and key id only). */
const s3Schema = closed({
  backend: z.literal('s3'),
  endpoint: z
    .string()
    .max(2048)
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
      } catch {
        return false;
      }
    }, "must be the S3 server's http(s) root URL, without credentials, path or query")
    .optional(),
  region: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as eu-west-1'),
  bucket: z.string().regex(BUCKET, 'must be a bucket name (3-222 lower-case letters, digits, dots, dashes, underscores)'),
  accessKeyId: visibleLine(256),
  secretAccessKey: secret(1024).optional(),
  forcePathStyle: z.boolean().default(true),
});

/** Cloud Storage bucket names: 3-63 characters per dot-separated part, lower case; no "goog" prefix nor "google". */
const GCS_BUCKET = /^(?=.{3,222}$)[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const gcsBucket = z
  .string()
  .regex(GCS_BUCKET, 'must be a Cloud Storage bucket name (3-63 lower-case letters, digits, dashes, underscores, dots)')
  .refine((name) => name.split('.').every((part) => part.length >= 1 && part.length <= 63) && !name.startsWith('goog') && !name.includes('google'), 'must be a Cloud Storage bucket name (parts of at most 63 characters, no "goog" prefix, no "google")');
const serviceAccountEmail = z
  .string()
  .trim()
  .max(320)
  .regex(/^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i, 'must be a service account email (name@project.iam.gserviceaccount.com)');

/**
 * The service account's JSON key file as the Cloud Console downloads it. Only the fields used are kept
 * (its token_uri is not: the token endpoint is the deployment's GCS_TOKEN_URL, so a key cannot send signed assertions elsewhere).
 */
const serviceAccountKey = z.object({
  type: z.literal('service_account', { error: 'must be "service_account" (a service account JSON key file)' }),
  client_email: serviceAccountEmail,
  private_key: z
    .string()
    .max(16 * 1024)
    .refine((value) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(value), 'must be the PEM private key of the key file (-----BEGIN PRIVATE KEY-----)'),
  private_key_id: z.string().regex(/^[A-Za-z0-9]{1,128}$/, 'must be the key id of the key file').optional(),
  project_id: z.string().regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/, 'must be a Google Cloud project id').optional(),
});

/**
 * SE1.2 Google Cloud Storage: the bucket and the service account's JSON key. The key is write-only: left out,
 * `clientEmail` names the account whose stored key is kept (same bucket and account only).
 */
const gcsSchema = closed({
  backend: z.literal('gcs'),
  bucket: gcsBucket,
  serviceAccountKey: serviceAccountKey.optional(),
  clientEmail: serviceAccountEmail.optional(),
});

export const destinationSchema = z.discriminatedUnion('backend', [sftpSchema, s3Schema, gcsSchema]);
export type DestinationInput = z.output<typeof destinationSchema>;

const folderPath = z
  .string()
  .max(512)
  .refine((value) => !value.includes('\\'), 'must use / as the separator')
  .refine((value) => !value.split('/').some((segment) => segment === '..' || segment === '.'), "may not contain '.' or '..' segments")
  .refine((value) => !/\/\/./.test(value), 'may not contain empty segments (//)')
  .refine((value) => !hasControlCharacter(value), 'may not contain control characters')
  .default('');

/** The body of `POST /storage-export/settings/connect` (SE1): probed with a probe file, saved only when that works. */
export const storageSettingsSchema = closed({
  enabled: z.boolean().default(true),
  fileKinds: z
    .array(z.enum(FILE_KINDS))
    .max(FILE_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'names each kind once')
    .default([...FILE_KINDS]),
  /** Relative to the login directory or absolute (SFTP); an object-name prefix (buckets, no leading /). */
  folderPath,
  /** SE1.4: files go to the CRM too (crm-sync's upload); otherwise the CRM gets a link. */
  alsoSendToCrm: z.boolean().default(false),
  urlSource: z.enum(URL_SOURCES).default('external_storage'),
  destination: destinationSchema,
}).superRefine((settings, ctx) => {
  if (settings.urlSource === 'crm' && !settings.alsoSendToCrm) {
    ctx.addIssue({ code: 'custom', path: ['urlSource'], message: 'can be "crm" only when alsoSendToCrm is true (otherwise the CRM holds only a link to the external storage)' });
  }
  const destination = settings.destination;
  if (destination?.backend === 'gcs') {
    if (!destination.serviceAccountKey && !destination.clientEmail) {
      ctx.addIssue({ code: 'custom', path: ['destination', 'serviceAccountKey'], message: 'the service account JSON key is required (or clientEmail, to keep the stored key of that account)' });
    }
    if (destination.serviceAccountKey && destination.clientEmail && destination.serviceAccountKey.client_email !== destination.clientEmail) {
      ctx.addIssue({ code: 'custom', path: ['destination', 'clientEmail'], message: "is not the key file's client_email" });
    }
  }
  if (settings.destination?.backend !== 'sftp' && settings.folderPath?.startsWith('/')) {
    ctx.addIssue({ code: 'custom', path: ['folderPath'], message: 'is an object-name prefix in a bucket and may not start with /' });
  }
});

export type StorageSettingsInput = z.output<typeof storageSettingsSchema>;

export const storageSettingsExample: z.input<typeof storageSettingsSchema> = {
  enabled: true,
  fileKinds: ['recordings', 'voicemails', 'transcripts', 'media', 'metadata'],
  folderPath: 'exports/contact-center',
  alsoSendToCrm: false,
  urlSource: 'external_storage',
  destination: {
    backend: 'sftp',
    host: 'sftp.example.com',
    port: 22,
    username: 'switchboard',
    password: 'the account password (write-only)',
    hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
  },
};

/** What the API shows: every setting but the secrets, of which only whether they are set. */
export interface StorageSettingsView {
  enabled: boolean;
  fileKinds: FileKind[];
  folderPath: string;
  alsoSendToCrm: boolean;
  urlSource: UrlSource;
  destination: Record<string, unknown> & { backend: string };
  updatedAt: string;
}
