import { z } from 'zod';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** What a session file is (SE1.1): each kind has its own folder (SE2.1). */
export const ExportFileKinds = ['recording', 'voicemail', 'transcript', 'media', 'metadata'] as const;
export type ExportFileKind = (typeof ExportFileKinds)[number];

export const StorageBackends = ['sftp', 'gcs', 's3'] as const;

/** A file name as SE2.2 writes them: `call-{id}.mp3`, `chat-{id}-photo-{photo-id}.jpg`, … (never a path). */
export const exportFileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(call|chat)-[A-Za-z0-9._~-]+\.(mp3|wav|jpg|mp4|txt|json)$/, 'must be a file name of the storage layout, e.g. call-103646.mp3')
  .refine((name) => !name.includes('..'), 'must not contain ".."');

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const md5Hex = z.string().regex(/^[0-9a-f]{32}$/, 'must be a lowercase hex MD5');

/** The file an event is about: the session it belongs to and where it is in the layout. */
const exportedFileRef = {
  sessionId: z.string().min(1).max(200),
  fileKind: z.enum(ExportFileKinds),
  fileName: exportFileNameSchema,
  /** Relative to the tenant's folder path: `ujet-voice-recordings/call-103646.mp3`. */
  path: z.string().min(1).max(1024),
  /** The file's address on the external storage (sftp://…, gs://…, s3 URL), SE1.5 / SE3.4. */
  storageUrl: z.string().min(1).max(2048),
  backend: z.enum(StorageBackends),
};

/** SE3.4 FileExported: the file is on the external storage, whole (its checksum verified). */
export const fileExportedSchema = z.object({
  ...exportedFileRef,
  contentType: z.string().min(1).max(100),
  size: z.int().nonnegative(),
  sha256: sha256Hex,
  md5: md5Hex.optional(),
  exportedAt: z.iso.datetime(),
  /** Tries it took, this one included. */
  attempts: z.int().positive(),
});

/** SE3.3 / SE3.4 FileExportFailed: retries are exhausted (or cannot help); `POST …/retry` runs it again. */
export const fileExportFailedSchema = z.object({
  ...exportedFileRef,
  error: z.object({
    /** A stable kind: auth_refused, host_unreachable, source_failed, source_refused, … */
    kind: z.string().min(1).max(100),
    message: z.string().min(1).max(2000),
  }),
  attempts: z.int().positive(),
  failedAt: z.iso.datetime(),
});

/**
 * SE1.4 "Also send session files to the CRM": a file handed to crm-sync's upload, sent once the file is
 * exported (so it has a size and a verified SHA-256). crm-sync reads the bytes from `download.url`
 * (a plain GET, no credentials: the URL itself is the capability, valid until `expiresAt`; null = the
 * platform's own file URL, valid as long as the platform keeps it) and checks them against `sha256`.
 */
export const fileForCrmSchema = z.object({
  sessionId: z.string().min(1).max(200),
  fileKind: z.enum(ExportFileKinds),
  fileName: exportFileNameSchema,
  contentType: z.string().min(1).max(100),
  size: z.int().nonnegative(),
  sha256: sha256Hex,
  download: z.object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(4096),
    expiresAt: z.iso.datetime().nullable(),
  }),
  /** The copy on the external storage, for a link when the CRM keeps none (SE1.4 unchecked, SE1.5). */
  storageUrl: z.string().min(1).max(2048),
});

export type FileExported = z.infer<typeof fileExportedSchema>;
export type FileExportFailed = z.infer<typeof fileExportFailedSchema>;
export type FileForCrm = z.infer<typeof fileForCrmSchema>;

export const StorageExportEventTypes = {
  fileExported: 'switchboard.storage.FileExported',
  fileExportFailed: 'switchboard.storage.FileExportFailed',
  fileForCrm: 'switchboard.storage.FileForCrm',
} as const;

/** `storage.export.v1`: produced by storage-export, keyed by session id (a session's files keep their order). */
export const storageExportTopic = defineTopic(Topics.storageExport, {
  [StorageExportEventTypes.fileExported]: fileExportedSchema,
  [StorageExportEventTypes.fileExportFailed]: fileExportFailedSchema,
  [StorageExportEventTypes.fileForCrm]: fileForCrmSchema,
});
