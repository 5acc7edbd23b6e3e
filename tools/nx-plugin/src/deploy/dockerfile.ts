import type { ServiceManifest } from '@switchboard/service-manifest';

export const DOCKERFILE = 'Dockerfile';

/** The Dockerfile with its EXPOSE line listing every service's port. */
export function dockerfile(current: string, manifests: readonly ServiceManifest[]): string {
  const expose = /^EXPOSE .*$/m;
  if (!expose.test(current)) throw new Error(`${DOCKERFILE}: no EXPOSE line to write the services' ports into`);
  return current.replace(expose, `EXPOSE ${manifests.map((manifest) => manifest.port).join(' ')}`);
}
