import type { ServiceManifest } from '@switchboard/service-manifest';
import { type Markers, replaceBetweenMarkers } from './generated-notice';

export const COMPOSE_FILE = 'docker-compose.yml';

export const COMPOSE_MARKERS: Markers = {
  begin: '# ---- services: generated from apps/*/service.json by `npm run deploy:generate`; edit the manifests, not this block ----',
  end: '# ---- end of generated services ----',
};

/** One service of docker-compose.yml; the shared settings come from the file's YAML anchors. */
function composeService({ name, port, runtimeEnv }: ServiceManifest): string {
  const tuning = Object.entries(runtimeEnv)
    .map(([variable, value]) => `      ${variable}: ${JSON.stringify(value)}\n`)
    .join('');
  return `  ${name}:
    <<: *service-defaults
    build:
      context: .
      target: runtime
      args:
        SERVICE: ${name}
    image: switchboard/${name}:local
    environment:
      <<: *service-env
      PORT: "${port}"
      PUBLIC_BASE_URL: http://localhost:${port}
${tuning}    ports:
      - "127.0.0.1:${port}:${port}"
`;
}

/** docker-compose.yml with its generated region holding exactly the manifests' services. */
export function composeFile(current: string, manifests: readonly ServiceManifest[]): string {
  return replaceBetweenMarkers(current, COMPOSE_MARKERS, manifests.map(composeService).join('\n'), COMPOSE_FILE);
}
