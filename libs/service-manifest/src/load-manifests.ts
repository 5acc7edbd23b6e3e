import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ManifestFile, serviceManifestsFrom } from './manifest-set';
import { MANIFEST_FILE, type ServiceManifest } from './service-manifest';

/** The folder holding one folder per service. */
export const APPS_DIR = 'apps';

/** Every `apps/<name>/service.json` of a workspace, validated as a set and sorted by port. */
export function loadServiceManifests(workspaceRoot: string): ServiceManifest[] {
  const appsDir = join(workspaceRoot, APPS_DIR);
  const files: ManifestFile[] = readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, MANIFEST_FILE)))
    .map((entry) => ({
      folder: entry.name,
      path: `${APPS_DIR}/${entry.name}/${MANIFEST_FILE}`,
      text: readFileSync(join(appsDir, entry.name, MANIFEST_FILE), 'utf8'),
    }));
  return serviceManifestsFrom(files);
}
