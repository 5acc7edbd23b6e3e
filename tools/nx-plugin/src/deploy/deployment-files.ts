import type { ServiceManifest } from '@switchboard/service-manifest';
import { COMPOSE_FILE, composeFile } from './compose-services';
import { DOCKERFILE, dockerfile } from './dockerfile';
import { k8sServiceFile } from './k8s-service';
import { kustomizationFile } from './kustomization';

export const K8S_DIR = 'deploy/k8s';

/** How the deployment generation reads a workspace: from disk (the CLI) or an Nx generator's tree. */
export interface WorkspaceReader {
  /** A file's text (workspace-relative path); throws or returns undefined when it does not exist. */
  read(path: string): string | undefined;
  /** The file names in a folder. */
  list(dir: string): string[];
}

export interface DeploymentChanges {
  /** Every generated file with the content it must have. */
  write: { path: string; content: string }[];
  /** Generated files of services that no longer exist. */
  remove: string[];
}

/**
 * What docker-compose.yml, the Dockerfile and deploy/k8s must hold for these services: the compose
 * services, the EXPOSE line, one Kubernetes file per service and the kustomization.
 */
export function deploymentChanges(manifests: readonly ServiceManifest[], workspace: WorkspaceReader): DeploymentChanges {
  const write = [
    { path: COMPOSE_FILE, content: composeFile(required(workspace, COMPOSE_FILE), manifests) },
    { path: DOCKERFILE, content: dockerfile(required(workspace, DOCKERFILE), manifests) },
    { path: `${K8S_DIR}/kustomization.yaml`, content: kustomizationFile(manifests) },
    ...manifests.map((manifest) => ({ path: `${K8S_DIR}/${manifest.name}.yaml`, content: k8sServiceFile(manifest) })),
  ];
  const generated = new Set(write.map((file) => file.path));
  const remove = workspace
    .list(K8S_DIR)
    .map((file) => `${K8S_DIR}/${file}`)
    .filter((path) => !generated.has(path) && /^# Generated from apps\/[^/]+\/service\.json /.test(workspace.read(path) ?? ''));
  return { write, remove };
}

function required(workspace: WorkspaceReader, path: string): string {
  const text = workspace.read(path);
  if (text === undefined) throw new Error(`${path} is missing: the deployment generation writes into it`);
  return text;
}
