import { type GeneratorCallback, generateFiles, names, type Tree } from '@nx/devkit';
import { generatePrismaClient } from '@switchboard/persistence/migrate';
import { APPS_DIR, DEFAULT_SCALING, defaultSchemaFor, MANIFEST_FILE, type ManifestFile, type ServiceManifest, serviceManifestsFrom } from '@switchboard/service-manifest';
import { join } from 'node:path';
import { deploymentChanges } from '../../deploy/deployment-files';

export interface ServiceGeneratorOptions {
  name: string;
  port?: number;
  description?: string;
}

/** The port after the highest one taken, so services keep their order (3001, 3002, …). */
const FIRST_PORT = 3001;

/**
 * `nx g @switchboard/tools:service <name> [--port N] [--description "…"]`: apps/<name> with its
 * manifest, NestJS app, Prisma schema and first migration; its compose, Dockerfile and Kubernetes
 * entries; then its Prisma client, so that it builds at once.
 */
export default function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): GeneratorCallback {
  if (tree.exists(`${APPS_DIR}/${options.name}`)) throw new Error(`${APPS_DIR}/${options.name} already exists.`);
  const existing = manifestFilesIn(tree);
  const manifest = newManifest(options, existing);
  // Checked with the others before anything is written: name, port, schema, uniqueness.
  const manifests = serviceManifestsFrom([...existing, manifestFile(manifest)]);

  tree.write(`${APPS_DIR}/${manifest.name}/${MANIFEST_FILE}`, `${JSON.stringify(manifest, null, 2)}\n`);
  generateFiles(tree, join(__dirname, 'files'), `${APPS_DIR}/${manifest.name}`, {
    ...names(manifest.name),
    name: manifest.name,
    schema: manifest.schema,
    migration: `${migrationTimestamp(new Date())}_init`,
  });
  writeDeploymentFiles(tree, manifests);
  return () => generatePrismaClient({ service: manifest.name, workspaceRoot: tree.root });
}

function newManifest(options: ServiceGeneratorOptions, existing: ManifestFile[]): ServiceManifest {
  const ports = serviceManifestsFrom(existing).map((manifest) => manifest.port);
  return {
    name: options.name,
    port: options.port ?? (ports.length > 0 ? Math.max(...ports) + 1 : FIRST_PORT),
    schema: defaultSchemaFor(options.name),
    title: `Switchboard ${options.name}`,
    description: options.description ?? `The ${options.name} service.`,
    topics: [],
    scaling: { ...DEFAULT_SCALING },
    egress: [],
    runtimeEnv: {},
  };
}

function manifestFile(manifest: ServiceManifest): ManifestFile {
  return { folder: manifest.name, path: `${APPS_DIR}/${manifest.name}/${MANIFEST_FILE}`, text: JSON.stringify(manifest) };
}

function manifestFilesIn(tree: Tree): ManifestFile[] {
  return tree
    .children(APPS_DIR)
    .filter((folder) => tree.isFile(`${APPS_DIR}/${folder}/${MANIFEST_FILE}`))
    .map((folder) => {
      const path = `${APPS_DIR}/${folder}/${MANIFEST_FILE}`;
      return { folder, path, text: tree.read(path, 'utf-8') ?? '' };
    });
}

/** The same files `npm run deploy:generate` writes, so the new service deploys like the others. */
function writeDeploymentFiles(tree: Tree, manifests: ServiceManifest[]): void {
  const changes = deploymentChanges(manifests, {
    read: (path) => tree.read(path, 'utf-8') ?? undefined,
    list: (dir) => tree.children(dir),
  });
  for (const { path, content } of changes.write) tree.write(path, content);
  for (const path of changes.remove) tree.delete(path);
}

/** Prisma's migration folder prefix: UTC `YYYYMMDDHHMMSS`. */
export function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/\D/g, '').slice(0, 14);
}
