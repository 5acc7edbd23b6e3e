import { loadServiceManifests, type ServiceManifest } from '@switchboard/service-manifest';
import { join } from 'node:path';

/** The services as apps/<name>/service.json declares them, sorted by port: the one list every tool reads. */
export const SERVICES: readonly ServiceManifest[] = loadServiceManifests(join(__dirname, '../..'));

/** A service's name: its app folder (checked against the manifests where a name comes in). */
export type ServiceName = string;
