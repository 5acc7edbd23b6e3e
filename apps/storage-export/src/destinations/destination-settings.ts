import type { DestinationBackend } from './storage-destination';

/** SFTP (SE1.2): password and/or private key (with passphrase); the host key pinned when a fingerprint is given. */
export interface SftpDestinationSettings {
  backend: 'sftp';
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /** 'SHA256:<base64 without padding>' as `ssh-keygen -lf` prints it; when set, any other host key is refused. */
  hostKeyFingerprint?: string;
  /** Relative (to the login directory) or absolute; '' means the login directory. */
  folderPath: string;
}

/** Any S3-compatible bucket (beyond the source). */
export interface S3DestinationSettings {
  backend: 's3';
  /** https://s3.eu-west-1.amazonaws.com, a MinIO server, …; absent means AWS for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Key prefix, '' for the bucket's root. */
  folderPath: string;
}

/** Google Cloud Storage (SE1.2): a bucket written with a service account's key (the JSON key file's fields). */
export interface GcsDestinationSettings {
  backend: 'gcs';
  bucket: string;
  /** The key file's client_email. */
  clientEmail: string;
  /** The key file's private_key (PEM). */
  privateKey: string;
  privateKeyId?: string;
  projectId?: string;
  /** Object-name prefix, '' for the bucket's root. */
  folderPath: string;
}

/** One backend's complete, opened (secrets in clear, in memory only) settings. */
export type DestinationSettings = SftpDestinationSettings | S3DestinationSettings | GcsDestinationSettings;

export type SettingsOf<B extends DestinationBackend> = Extract<DestinationSettings, { backend: B }>;
