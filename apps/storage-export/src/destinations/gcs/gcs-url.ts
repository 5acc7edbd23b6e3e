import type { GcsDestinationSettings } from '../destination-settings';
import { objectName } from '../destination-path';

/** Google's public endpoints; a deployment points both elsewhere (a simulator, a private endpoint) by configuration. */
export const GOOGLE_STORAGE_ENDPOINT = 'https://storage.googleapis.com';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** An object's address (SE1.5, SE3.4) on Cloud Storage or on the configured API endpoint. No SDK needed. */
export function gcsObjectUrl(settings: GcsDestinationSettings, apiEndpoint: string, path: string): string {
  const name = objectName(settings.folderPath, path);
  if (apiEndpoint.replace(/\/+$/, '') === GOOGLE_STORAGE_ENDPOINT) {
    // The Cloud Console's authenticated link (a signed-in user with access opens it in a browser).
    return `https://storage.cloud.google.com/${settings.bucket}/${name.split('/').map(encodeURIComponent).join('/')}`;
  }
  return `${apiEndpoint.replace(/\/+$/, '')}/storage/v1/b/${encodeURIComponent(settings.bucket)}/o/${encodeURIComponent(name)}?alt=media`;
}
