// apps/<name>/service.json: the one place a service's name, port, schema, title and topics are declared.
export { DEFAULT_SCALING, defaultSchemaFor, EGRESS_KINDS, MANIFEST_FILE, parseServiceManifest, RESERVED_SERVICE_NAMES, type ServiceManifest, ServiceManifestError, serviceManifestSchema } from './service-manifest';
export { type ManifestFile, manifestNamed, serviceManifestsFrom } from './manifest-set';
export { APPS_DIR, loadServiceManifests } from './load-manifests';
