import { parseServiceManifest, type ServiceManifest, ServiceManifestError } from './service-manifest';

/** One `apps/<folder>/service.json` as read from disk or from an Nx generator's tree. */
export interface ManifestFile {
  /** The app folder's name, which the manifest's `name` must equal. */
  folder: string;
  /** Shown in error messages, e.g. `apps/crm-sync/service.json`. */
  path: string;
  text: string;
}

/**
 * Every service manifest, checked one by one and as a set (names match folders; ports, schemas and
 * topic owners are unique), sorted by port. Throws one ServiceManifestError listing every problem.
 */
export function serviceManifestsFrom(files: ManifestFile[]): ServiceManifest[] {
  const problems: string[] = [];
  const manifests: { file: ManifestFile; manifest: ServiceManifest }[] = [];
  for (const file of files) {
    try {
      manifests.push({ file, manifest: parseServiceManifest(file.text, file.path) });
    } catch (error) {
      if (!(error instanceof ServiceManifestError)) throw error;
      problems.push(...error.problems);
    }
  }
  for (const { file, manifest } of manifests) {
    if (manifest.name !== file.folder) problems.push(`${file.path}: name "${manifest.name}" must equal its folder's name "${file.folder}"`);
  }
  const byService = manifests.map(({ manifest }) => manifest);
  problems.push(
    ...clashes(byService, (manifest) => [String(manifest.port)], (port, owners) => `port ${port} is declared by more than one service: ${owners}`),
    ...clashes(byService, (manifest) => [manifest.schema], (schema, owners) => `Postgres schema "${schema}" is declared by more than one service: ${owners}`),
    ...clashes(byService, (manifest) => manifest.topics, (topic, owners) => `topic "${topic}" has more than one owner: ${owners}`),
  );
  if (problems.length > 0) throw new ServiceManifestError(problems);
  return byService.sort((a, b) => a.port - b.port);
}

/** One sentence per value that more than one manifest claims. */
function clashes(manifests: ServiceManifest[], valuesOf: (manifest: ServiceManifest) => string[], describe: (value: string, owners: string) => string): string[] {
  const owners = new Map<string, string[]>();
  for (const manifest of manifests) {
    for (const value of valuesOf(manifest)) owners.set(value, [...(owners.get(value) ?? []), manifest.name]);
  }
  return [...owners].filter(([, names]) => names.length > 1).map(([value, names]) => describe(value, names.join(', ')));
}

/** The manifest of `name`, or an error naming the services there are. */
export function manifestNamed(manifests: readonly ServiceManifest[], name: string): ServiceManifest {
  const found = manifests.find((manifest) => manifest.name === name);
  if (!found) throw new Error(`Unknown service "${name}"; the services are: ${manifests.map((manifest) => manifest.name).join(', ')}`);
  return found;
}
