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

export const destinationSchema = z.discriminatedUnion('backend', [sftpSchema, s3Schema]);
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
