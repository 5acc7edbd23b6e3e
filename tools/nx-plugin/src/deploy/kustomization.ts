import type { ServiceManifest } from '@switchboard/service-manifest';
import { GENERATED_NOTICE } from './generated-notice';

/** The hand-written manifests of deploy/k8s, shared by every service. */
export const SHARED_K8S_RESOURCES = ['namespace.yaml', 'network-policy.yaml', 'configmap.yaml', 'secret.yaml', 'migrate-job.yaml'];

/** deploy/k8s/kustomization.yaml: the shared manifests, one file per service, every image retaggable. */
export function kustomizationFile(manifests: readonly ServiceManifest[]): string {
  const resources = [...SHARED_K8S_RESOURCES, ...manifests.map(({ name }) => `${name}.yaml`)];
  const images = ['migrate', ...manifests.map(({ name }) => name)];
  return `# ${GENERATED_NOTICE('apps/*/service.json', 'tools/nx-plugin/src/deploy/kustomization.ts')}
# kubectl apply -k deploy/k8s   (after replacing the placeholders in secret.yaml and configmap.yaml)
# Point the images at your registry in an overlay of your own (\`resources: [<path to deploy/k8s>]\`
# plus \`images:\` entries such as name switchboard/crm-sync, newName registry.example.com/switchboard/crm-sync,
# newTag 1.4.0), so that regenerating this file keeps your choice.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: switchboard
resources:
${resources.map((resource) => `  - ${resource}`).join('\n')}
images:
${images.map((image) => `  - name: switchboard/${image}\n    newTag: latest`).join('\n')}
`;
}
