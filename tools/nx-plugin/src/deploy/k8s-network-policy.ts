import type { ServiceManifest } from '@switchboard/service-manifest';
import { objectHead } from './k8s-object';

/** The pod ports (after Service address translation) the services reach Postgres and Kafka on. */
export const POSTGRES_PORT = 5432;
export const KAFKA_PORT = 9092;

/** The external ports each egress kind of a manifest opens. */
export const EGRESS_PORTS: Record<ServiceManifest['egress'][number], { ports: number[]; why: string }> = {
  smtp: { ports: [587, 465, 25], why: 'SMTP: the outcome e-mail server (OUTCOME_EMAIL_SMTP_URL): submission, SMTPS, plain SMTP' },
  sftp: { ports: [22], why: 'SFTP destinations' },
};

function tcpPorts(ports: number[]): string {
  return ports.map((port) => `        - protocol: TCP\n          port: ${port}\n`).join('');
}

function egressRule(comment: string, ports: number[]): string {
  return `    # ${comment}\n    - ports:\n${tcpPorts(ports)}`;
}

/**
 * A service's NetworkPolicy. Ingress: only the HTTP port, from any source, because the APIs are public
 * (reached through the ingress controller) and Prometheus scrapes /metrics there. Egress: DNS, Postgres,
 * Kafka, HTTPS and the manifest's extra protocols, by port only: Postgres and Kafka are outside this
 * namespace, named by DATABASE_URL and KAFKA_BROKERS, so the policy cannot know their addresses.
 */
export function networkPolicy({ name, port, egress }: ServiceManifest): string {
  const extra = egress.map((kind) => egressRule(EGRESS_PORTS[kind].why, EGRESS_PORTS[kind].ports));
  return `${objectHead('networking.k8s.io/v1', 'NetworkPolicy', name)}spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    # The HTTP API (and /metrics) from anywhere: clients and providers come through the ingress controller.
    - ports:
${tcpPorts([port])}  egress:
    # DNS: the cluster resolver (CoreDNS, or a node-local cache), wherever it runs.
    - ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
${[
  egressRule('Postgres (DATABASE_URL in switchboard-secrets).', [POSTGRES_PORT]),
  egressRule('Kafka (KAFKA_BROKERS in switchboard-config): bootstrap and every broker.', [KAFKA_PORT]),
  egressRule("HTTPS: the identity provider's signing keys (AUTH_JWKS_URL) and the service's own providers.", [443]),
  ...extra,
].join('')}`;
}
