import type { ContainerRuntimeEndpoint } from './container-runtime';
import { serverUrl } from './postgres-server';

/** Same major as the Postgres the project's machines run locally. */
export const POSTGRES_IMAGE = 'postgres:15-alpine';
/** Confluent Platform 7.x runs Kafka in KRaft mode (no ZooKeeper) through `withKraft()`. */
export const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
/** Plaintext listener that @testcontainers/kafka publishes for clients on the host. */
const KAFKA_CLIENT_PORT = 9093;

export interface StartedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface StartedKafka {
  brokers: string[];
  stop(): Promise<void>;
}

/** testcontainers finds Docker's sockets itself; anything else (a podman socket) must arrive as DOCKER_HOST. */
function useEndpoint(endpoint: ContainerRuntimeEndpoint): void {
  if (endpoint.needsDockerHost) process.env['DOCKER_HOST'] ??= endpoint.uri;
}

// testcontainers is imported lazily: it is only needed where a container runtime answered the probe.
export async function startPostgresContainer(endpoint: ContainerRuntimeEndpoint): Promise<StartedPostgres> {
  useEndpoint(endpoint);
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
  return {
    url: serverUrl(container.getConnectionUri()),
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startKafkaContainer(endpoint: ContainerRuntimeEndpoint): Promise<StartedKafka> {
  useEndpoint(endpoint);
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(KAFKA_CLIENT_PORT)}`],
    stop: async () => {
      await container.stop();
    },
  };
}
