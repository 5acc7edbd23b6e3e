import { type CreateNodes, type CreateNodesResultArray } from '@nx/devkit';
import { APPS_DIR, type ManifestFile, MANIFEST_FILE, serviceManifestsFrom } from '@switchboard/service-manifest';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path/posix';
import { serviceTargets } from './service-targets';

/**
 * Every folder apps/<name> with a service.json is an Nx project named <name>, tagged
 * `scope:<name>` + `type:app`, with the same build, serve and lint targets. The manifests are
 * checked as a set first, so a wrong one stops the project graph with a sentence naming it.
 */
export const createNodes: CreateNodes = [
  `${APPS_DIR}/*/${MANIFEST_FILE}`,
  (manifestPaths, _options, context): CreateNodesResultArray => {
    const files: ManifestFile[] = manifestPaths.map((path) => ({
      folder: basename(dirname(path)),
      path,
      text: readFileSync(join(context.workspaceRoot, path), 'utf8'),
    }));
    return serviceManifestsFrom(files).map((manifest) => {
      const root = `${APPS_DIR}/${manifest.name}`;
      const project = {
        name: manifest.name,
        root,
        sourceRoot: `${root}/src`,
        projectType: 'application' as const,
        tags: [`scope:${manifest.name}`, 'type:app'],
        targets: serviceTargets(manifest.name, root),
      };
      return [`${root}/${MANIFEST_FILE}`, { projects: { [root]: project } }] as const;
    });
  },
];

/** The name Nx looked for before version 21; both are read. */
export const createNodesV2 = createNodes;
