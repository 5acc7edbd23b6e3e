import type { S3DestinationSettings } from '../destination-settings';
import { objectName } from '../destination-path';

/** An object's S3 URL (SE1.5, SE3.4): virtual-hosted on AWS, path-style or host-style on a custom endpoint. No SDK needed. */
export function s3ObjectUrl(settings: S3DestinationSettings, path: string): string {
  const key = objectName(settings.folderPath, path).split('/').map(encodeURIComponent).join('/');
  if (!settings.endpoint) return `https://${settings.bucket}.s3.${settings.region}.amazonaws.com/${key}`;
  const base = settings.endpoint.replace(/\/+$/, '');
  return settings.forcePathStyle ? `${base}/${settings.bucket}/${key}` : base.replace('://', `://${settings.bucket}.`) + `/${key}`;
}
