/**
 * P4.4: the stack runs as `docker compose up` and as Kubernetes manifests. These tests hold the
 * Dockerfile, docker-compose.yml and deploy/k8s against each other and against apps/, so that an
 * app, a port or a variable added in one place cannot be forgotten in the others.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { isSensitiveEnv, loadConfig } from '@switchboard/service-kit';
import { loadServiceManifests, type ServiceManifest } from '@switchboard/service-manifest';
import { outdatedDeploymentFiles } from '../nx-plugin/src/deploy/generate-deployment';
import {
  ComposeFile,
  composeFilePath,
  K8sManifestFile,
  K8sObject,
  k8sDir,
  listAppNames,
  listK8sFiles,
  readComposeFile,
  readDockerfileStages,
  readK8sManifests,
  readKustomization,
  isSimulatorVar,
  SERVICE_ENV_SCHEMAS,
  serviceEnvVars,
  workspaceRoot,
} from './deployment-files';
import { programAvailable, runCommand } from './run-command';

const INFRA_SERVICES = ['kafka', 'migrate', 'postgres'];

// Just the fields of a Deployment these tests read.
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}
interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] };
}
interface HorizontalPodAutoscaler extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number } } }[];
    behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } };
  };
}
interface PolicyPort {
  protocol: string;
  port: number;
}
interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: { from?: unknown[]; ports?: PolicyPort[] }[];
    egress?: { to?: unknown[]; ports?: PolicyPort[] }[];
  };
}
interface DataObject extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * What each service connects to besides DNS, Postgres, Kafka and HTTPS (443, which every service needs for
 * the identity provider's keys): crm-sync the outcome e-mail server, storage-export SFTP destinations.
 */
const EXTERNAL_PORTS: Partial<Record<string, number[]>> = {
  'crm-sync': [587, 465, 25],
  'event-bridge': [],
  'outbound-messaging': [],
  'proactive-delivery': [],
  'storage-export': [22],
};

const apps = listAppNames();
const serviceManifests = loadServiceManifests(workspaceRoot);
const compose = readComposeFile();
const manifests = readK8sManifests();
const k8sObjects = manifests.flatMap((file) => file.objects);

function objectsOfKind<T extends K8sObject>(kind: string): T[] {
  return k8sObjects.filter((object) => object.kind === kind) as T[];
}
function deploymentOf(app: string): Deployment {
  const deployment = objectsOfKind<Deployment>('Deployment').find((object) => object.metadata.name === app);
  if (!deployment) throw new Error(`deploy/k8s has no Deployment named ${app}`);
  return deployment;
}
function manifestOf(app: string): ServiceManifest {
  const manifest = serviceManifests.find((candidate) => candidate.name === app);
  if (!manifest) throw new Error(`apps/${app}/service.json is missing`);
  return manifest;
}
/** Whether a NetworkPolicy's pod selector matches pods with these labels (matchLabels only, as ours use). */
function selects(policy: NetworkPolicy, labels: Record<string, string>): boolean {
  return Object.entries(policy.spec.podSelector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}
function dataOf(kind: 'ConfigMap' | 'Secret'): Record<string, string> {
  const [object] = objectsOfKind<DataObject>(kind);
  if (!object) throw new Error(`deploy/k8s has no ${kind}`);
  return { ...object.data, ...object.stringData };
}
/**
 * What a service's pod sees: the ConfigMap and the Secret (envFrom), then its own variables; the pod
 * name stands in for the fieldRef (KAFKA_CLIENT_ID).
 */
function clusterEnv(app: string): Record<string, string> {
  const own = deploymentOf(app).spec.template.spec.containers[0].env ?? [];
  return { ...dataOf('ConfigMap'), ...dataOf('Secret'), ...Object.fromEntries(own.map(({ name, value }) => [name, value ?? `${app}-5d9c7b8f6-abcde`])) };
}
function composePort(app: string): number {
  return Number(compose.services[app].environment?.['PORT']);
}
/** `docker-compose config` under the given environment (the host's variables fill the names without a value). */
function renderCompose(env: NodeJS.ProcessEnv) {
  // A missing binary fails the test: CI installs Debian's docker-compose, so should developers.
  return runCommand('docker-compose', ['-f', composeFilePath, 'config'], {
    cwd: workspaceRoot,
    timeoutMs: 30_000,
    env,
    installHint: 'install it with `apt-get install -y docker-compose` (CI installs it before the tests)',
  });
}
function healthcheckArgs(app: string): string[] {
  const test = compose.services[app].healthcheck?.test;
  if (!Array.isArray(test)) throw new Error(`${app}: healthcheck.test must be an exec-form list`);
  return test;
}

describe('P4.4 docker-compose.yml', () => {
  it('is accepted by `docker-compose config` (Compose 1.29 schema validation)', async () => {
    const result = await renderCompose(process.env);
    expect(result.exitCode, result.stderr).toBe(0);
    // Warnings name unset variables without defaults: the stack must start with no .env file.
    expect(result.stderr).not.toMatch(/WARNING|ERROR/);
    // Compose's own rendering (anchors merged, defaults applied) still has every service.
    const rendered = parse(result.stdout) as ComposeFile;
    expect(Object.keys(rendered.services).sort()).toEqual([...apps, ...INFRA_SERVICES].sort());
  });

  it('P4.2 gives every app an environment its configuration accepts, as Compose renders it on a bare host', async () => {
    // Only PATH from the host: the names without a value must fall back to the services' defaults.
    const result = await renderCompose({ PATH: process.env['PATH'] });
    expect(result.exitCode, result.stderr).toBe(0);
    const rendered = parse(result.stdout) as ComposeFile;
    for (const app of apps) {
      const environment = Object.entries(rendered.services[app].environment ?? {}).filter(([, value]) => value !== null);
      const env = Object.fromEntries(environment.map(([name, value]) => [name, String(value)]));
      expect(() => loadConfig(SERVICE_ENV_SCHEMAS[app], { env }), app).not.toThrow();
    }
  });

  it('declares exactly the apps of apps/ plus kafka, postgres and migrate', () => {
    expect(apps.length).toBeGreaterThan(0);
    expect(Object.keys(compose.services).sort()).toEqual([...apps, ...INFRA_SERVICES].sort());
  });

  it('runs Kafka 3.9 as a single KRaft node and Postgres 16 on a volume, both with healthchecks', () => {
    const { kafka, postgres } = compose.services;
    expect(kafka.image).toBe('apache/kafka:3.9.0');
    expect(String(kafka.environment?.['KAFKA_PROCESS_ROLES']).split(',').sort()).toEqual(['broker', 'controller']);
    expect(kafka.environment?.['KAFKA_ADVERTISED_LISTENERS']).toContain('PLAINTEXT://kafka:9092');
    expect(kafka.healthcheck?.test).toBeTruthy();
    expect(postgres.image).toMatch(/^postgres:16/);
    expect(postgres.healthcheck?.test).toContain('pg_isready');
    expect(postgres.volumes?.some((volume) => volume.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('migrates once Postgres is healthy, with the Dockerfile migrate target', () => {
    const { migrate } = compose.services;
    expect(migrate.build?.target).toBe('migrate');
    expect(migrate.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(migrate.environment?.['DATABASE_URL']).toMatch(/@postgres:5432\//);
  });

  it.each(apps)('%s: built from the runtime target, starts after Kafka and migrations, healthcheck on /health/ready', (app) => {
    const service = compose.services[app];
    expect(service.build?.target).toBe('runtime');
    expect(service.build?.args?.['SERVICE']).toBe(app);
    expect(service.depends_on?.['kafka']?.condition).toBe('service_healthy');
    expect(service.depends_on?.['migrate']?.condition).toBe('service_completed_successfully');
    expect(healthcheckArgs(app).join(' ')).toContain('/health/ready');
    expect(service.ports).toContainEqual(`127.0.0.1:${composePort(app)}:${composePort(app)}`);
    // Every variable the app reads; PORT and PUBLIC_BASE_URL are the app's own, the rest comes from the shared anchor.
    expect(serviceEnvVars(app).filter((name) => !Object.hasOwn(service.environment ?? {}, name))).toEqual([]);
    expect(service.environment?.['AUTH_DEV_ISSUER_ENABLED']).toBe('true');
    expect(service.environment?.['KAFKA_BROKERS']).toBe('kafka:9092');
  });

  it('gives every app its own port', () => {
    const ports = apps.map(composePort);
    expect(ports.every((port) => Number.isInteger(port) && port > 0)).toBe(true);
    expect(new Set(ports).size).toBe(apps.length);
  });

  it('P2.4 uses a 32-byte dev-only encryption key, labelled as such', () => {
    const key = String(compose.services[apps[0]].environment?.['SECRETS_ENCRYPTION_KEY']);
    expect(Buffer.from(key, 'base64').length).toBe(32);
    const text = readFileSync(composeFilePath, 'utf8');
    const keyLine = text.split('\n').findIndex((line) => line.includes(key));
    expect(text.split('\n').slice(keyLine - 3, keyLine).join('\n')).toMatch(/DEV ONLY/);
  });

  it('P4.3 lets a service finish its graceful shutdown before Compose kills it', () => {
    for (const app of apps) {
      const graceMs = Number(compose.services[app].environment?.['SHUTDOWN_GRACE_MS']);
      const stopSeconds = Number.parseInt(compose.services[app].stop_grace_period ?? '10s', 10);
      expect(stopSeconds * 1000, app).toBeGreaterThan(graceMs);
    }
  });

  describe('P4.1 the service healthcheck command', () => {
    let status = 200;
    const server = createServer((request, response) => {
      response.statusCode = request.url === '/health/ready' ? status : 404;
      response.end();
    });
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    async function runHealthcheck(targetPort: number): Promise<number> {
      const [form, program, ...args] = healthcheckArgs(apps[0]);
      expect([form, program]).toEqual(['CMD', 'node']);
      const result = await runCommand(process.execPath, args, {
        cwd: workspaceRoot,
        timeoutMs: 10_000,
        installHint: '',
        env: { ...process.env, PORT: String(targetPort) },
      });
      return result.exitCode;
    }

    it('passes when /health/ready answers 200 and fails on 503 or no listener', async () => {
      status = 200;
      expect(await runHealthcheck(port)).toBe(0);
      status = 503;
      expect(await runHealthcheck(port)).toBe(1);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      expect(await runHealthcheck(closedPort)).toBe(1);
    });
  });
});

describe('P4.4 Dockerfile', () => {
  const stages = readDockerfileStages();

  it('has deps, build, migrate and runtime stages on node:20-bookworm-slim', () => {
    expect([...stages.keys()]).toEqual(expect.arrayContaining(['deps', 'build', 'prod-deps', 'migrate', 'runtime']));
    const dockerfile = readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stages.get('deps')?.from).toBe('${NODE_IMAGE}');
    expect(stages.get('runtime')?.from).toBe('${NODE_IMAGE}');
    // The committed lockfile, exactly: tools/lockfile.spec.ts proves `npm ci` accepts it.
    expect(stages.get('deps')?.lines.join('\n')).toMatch(/npm ci --no-audit --no-fund --ignore-scripts/);
    expect(stages.get('build')?.lines.join('\n')).toMatch(/npm run db:generate[\s\S]*nx run-many -t build/);
  });

  it('runs the service and the migration as the non-root node user', () => {
    for (const stage of ['runtime', 'migrate']) {
      const users = stages.get(stage)?.lines.filter((line) => /^USER\s/.test(line)) ?? [];
      expect(users.at(-1), stage).toBe('USER node');
    }
    expect(stages.get('migrate')?.lines).toContain('CMD ["npm", "run", "db:deploy"]');
  });

  it('keeps host artefacts and local secrets out of the build context', () => {
    const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.git', '.local', '.nx']));
  });

  describe('runtime command', () => {
    const cmdLine = stages.get('runtime')?.lines.find((line) => line.startsWith('CMD ')) ?? '';
    const command = JSON.parse(cmdLine.slice('CMD '.length)) as string[];
    let appDir = '';
    beforeAll(() => {
      appDir = mkdtempSync(join(tmpdir(), 'sb-runtime-cmd-'));
      for (const app of ['alpha-svc', 'beta-svc']) {
        mkdirSync(join(appDir, 'dist/apps', app), { recursive: true });
        writeFileSync(join(appDir, 'dist/apps', app, 'main.js'), `console.log('${app}', process.pid);`);
      }
    });
    afterAll(() => rmSync(appDir, { recursive: true, force: true }));

    function runImageCommand(service: string): Promise<{ code: number | null; pid?: number; out: string; err: string }> {
      // The image has node on PATH; here it is the test's own node.
      const path = `${join(process.execPath, '..')}:${process.env['PATH'] ?? ''}`;
      return new Promise((resolve) => {
        const child = spawn(command[0], command.slice(1), { cwd: appDir, env: { PATH: path, SERVICE: service } });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (err += chunk));
        child.on('close', (code) => resolve({ code, pid: child.pid, out, err }));
      });
    }

    it('starts dist/apps/$SERVICE/main.js as PID of the container command (exec, so SIGTERM reaches node)', async () => {
      const result = await runImageCommand('beta-svc');
      expect(result.code).toBe(0);
      expect(result.out.trim()).toBe(`beta-svc ${result.pid}`);
    });

    it('refuses an unknown SERVICE and names the built apps', async () => {
      const result = await runImageCommand('no-such-svc');
      expect(result.code).toBe(64);
      expect(result.err).toContain("SERVICE='no-such-svc' is not a built app; choose one of: alpha-svc beta-svc");
    });
  });
});

describe('P4.4 Kubernetes manifests (deploy/k8s)', () => {
  it.each(manifests.map((file): [string, K8sManifestFile] => [file.file, file]))('%s parses as YAML', (_name, file) => {
    expect(file.errors).toEqual([]);
    expect(file.objects.length).toBeGreaterThan(0);
    for (const object of file.objects) {
      expect(object.apiVersion, file.file).toBeTruthy();
      expect(object.kind, file.file).toBeTruthy();
      expect(object.metadata?.name, file.file).toBeTruthy();
    }
  });

  it('kustomization.yaml lists every manifest in deploy/k8s and nothing else', () => {
    const kustomization = readKustomization();
    const files = listK8sFiles().filter((file) => file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(kustomization.namespace).toBe('switchboard');
    const namespaces = objectsOfKind('Namespace').map((object) => object.metadata.name);
    expect(namespaces).toEqual(['switchboard']);
  });

  it('kustomization.yaml lets every image be retagged', () => {
    const images = (readKustomization().images ?? []).map((image) => image.name).sort();
    const used = [...objectsOfKind<Deployment>('Deployment'), ...objectsOfKind<K8sObject & { spec: { template: { spec: PodSpec } } }>('Job')]
      .flatMap((object) => object.spec.template.spec.containers.map((container) => container.image.split(':')[0]))
      .sort();
    expect(images).toEqual(used);
  });

  it.each(apps)('%s: Deployment whose replica count the autoscaler owns, both probes, resources and a non-root security context', (app) => {
    const deployment = deploymentOf(app);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    // A replicas field would reset the autoscaler's count on every `kubectl apply`.
    expect(deployment.spec.replicas).toBeUndefined();
    expect(container.image).toBe(`switchboard/${app}:latest`);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: composePort(app) }]);
    expect(container.env).toContainEqual({ name: 'PORT', value: String(composePort(app)) });
    expect(container.resources?.requests?.['cpu']).toBeTruthy();
    expect(container.resources?.requests?.['memory']).toBeTruthy();
    expect(container.resources?.limits?.['memory']).toBeTruthy();
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    // The image's USER is the name `node`; the kubelet can only verify non-root with a numeric id.
    expect(pod.securityContext?.runAsUser).toBe(1000);
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': app });
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it.each(apps)('%s: P4.3 SIGKILL comes only after preStop plus SHUTDOWN_GRACE_MS', (app) => {
    const pod = deploymentOf(app).spec.template.spec;
    const preStop = pod.containers[0].lifecycle?.preStop?.exec?.command ?? [];
    const preStopSeconds = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const graceMs = Number(dataOf('ConfigMap')['SHUTDOWN_GRACE_MS']);
    expect(graceMs).toBeGreaterThan(0);
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(preStopSeconds * 1000 + graceMs);
  });

  it.each(apps)('%s: a Service routes to the Deployment pods on the http port', (app) => {
    const service = objectsOfKind<Service>('Service').find((object) => object.metadata.name === app);
    expect(service, `Service ${app}`).toBeDefined();
    expect(deploymentOf(app).spec.template.metadata.labels).toMatchObject(service?.spec.selector ?? { missing: true });
    expect(service?.spec.ports).toContainEqual(expect.objectContaining({ targetPort: 'http' }));
  });

  it('every HorizontalPodAutoscaler and NetworkPolicy belongs to a Deployment (none left behind by a removed service)', () => {
    const targets = objectsOfKind<HorizontalPodAutoscaler>('HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef.name);
    expect(targets.sort()).toEqual(apps);
    const policies = objectsOfKind<NetworkPolicy>('NetworkPolicy').filter((policy) => policy.metadata.name !== 'default-deny-ingress');
    expect(policies.map((policy) => policy.metadata.name).sort()).toEqual(apps);
  });

  it.each(apps)('%s: exactly one HorizontalPodAutoscaler (autoscaling/v2) scales the Deployment on CPU within the manifest bounds', (app) => {
    const hpas = objectsOfKind<HorizontalPodAutoscaler>('HorizontalPodAutoscaler').filter((hpa) => hpa.spec.scaleTargetRef.name === app);
    expect(hpas).toHaveLength(1);
    const [{ apiVersion, spec }] = hpas;
    expect(apiVersion).toBe('autoscaling/v2');
    expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
    const { scaling } = manifestOf(app);
    expect([spec.minReplicas, spec.maxReplicas]).toEqual([scaling.minReplicas, scaling.maxReplicas]);
    // Two replicas at least: the PodDisruptionBudget keeps one while a node drains.
    expect(spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(spec.maxReplicas).toBeGreaterThanOrEqual(spec.minReplicas);
    const [cpu] = spec.metrics;
    expect(spec.metrics).toHaveLength(1);
    expect(cpu).toMatchObject({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } });
    expect(cpu.resource?.target.averageUtilization).toBeGreaterThan(0);
    expect(cpu.resource?.target.averageUtilization).toBeLessThanOrEqual(100);
    // Utilization is a share of the CPU request: without one the autoscaler cannot compute it.
    expect(deploymentOf(app).spec.template.spec.containers[0].resources?.requests?.['cpu']).toMatch(/^\d+m?$/);
    // A removed pod costs a consumer-group rebalance and drops its event streams: scale down only after a quiet while.
    expect(spec.behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
  });

  it('a default-deny NetworkPolicy closes ingress to every pod of the namespace', () => {
    const policy = objectsOfKind<NetworkPolicy>('NetworkPolicy').find((candidate) => candidate.metadata.name === 'default-deny-ingress');
    expect(policy?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it.each(apps)('%s: exactly one NetworkPolicy selects its pods: ingress on the HTTP port only, egress to DNS, Postgres, Kafka and its external ports', (app) => {
    const podLabels = deploymentOf(app).spec.template.metadata.labels;
    const policies = objectsOfKind<NetworkPolicy>('NetworkPolicy').filter((policy) => selects(policy, podLabels) && policy.metadata.name !== 'default-deny-ingress');
    expect(policies.map((policy) => policy.metadata.name)).toEqual([app]);
    const [{ spec }] = policies;
    expect([...spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);

    // From anywhere (no `from`): the APIs are public, behind the ingress controller.
    expect(spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: composePort(app) }] }]);
    expect(deploymentOf(app).spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: composePort(app) }]);

    const egress = spec.egress ?? [];
    // By port, to any address: Postgres and Kafka live outside the namespace (DATABASE_URL, KAFKA_BROKERS).
    expect(egress.filter((rule) => rule.to !== undefined)).toEqual([]);
    const opened = egress.flatMap((rule) => (rule.ports ?? []).map(({ protocol, port }) => `${protocol}/${port}`));
    const expected = [
      'UDP/53',
      'TCP/53',
      `TCP/${new URL(dataOf('Secret')['DATABASE_URL']).port}`,
      ...dataOf('ConfigMap')['KAFKA_BROKERS'].split(',').map((broker) => `TCP/${broker.split(':').at(-1)}`),
      'TCP/443',
      ...(EXTERNAL_PORTS[app] ?? []).map((port) => `TCP/${port}`),
    ];
    expect([...new Set(opened)].sort()).toEqual([...new Set(expected)].sort());
  });

  it('P4.2 every variable the services read comes from the ConfigMap, the Secret or the Deployment', () => {
    expect(Object.keys(SERVICE_ENV_SCHEMAS).sort()).toEqual(apps);
    for (const app of apps) {
      const container = deploymentOf(app).spec.template.spec.containers[0];
      const sources = (container.envFrom ?? []).map((source) => source.configMapRef?.name ?? source.secretRef?.name);
      expect(sources.sort(), app).toEqual(['switchboard-config', 'switchboard-secrets']);
      const provided = new Set(Object.keys(clusterEnv(app)));
      expect(
        serviceEnvVars(app).filter((name) => !isSimulatorVar(name) && !provided.has(name)),
        app,
      ).toEqual([]);
    }
    expect(dataOf('ConfigMap')['AUTH_DEV_ISSUER_ENABLED']).toBe('false');
  });

  it('P4.2 every service accepts the ConfigMap, the Secret (placeholders replaced) and its Deployment variables', () => {
    // Kubernetes refuses a ConfigMap whose values are not all strings.
    expect(Object.values(dataOf('ConfigMap')).filter((value) => typeof value !== 'string')).toEqual([]);
    const replaced = { DATABASE_URL: 'postgresql://switchboard:pw@db.example.com:5432/switchboard', SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    for (const app of apps) {
      expect(() => loadConfig(SERVICE_ENV_SCHEMAS[app], { env: { ...clusterEnv(app), ...replaced } }), app).not.toThrow();
    }
  });

  it('no simulator in the production manifests: no simulator variable, image or address', () => {
    for (const app of apps) {
      expect(Object.keys(clusterEnv(app)).filter(isSimulatorVar), app).toEqual([]);
    }
    const text = JSON.stringify(k8sObjects);
    // The test peers of libs/testing: *-simulator, s3rver, smtp-peer and the SFTP peer; loopback addresses.
    expect(text).not.toMatch(/simulator|s3rver|-peer\b|127\.0\.0\.1|localhost/i);
    expect(dataOf('ConfigMap')).toMatchObject({ GCS_API_ENDPOINT: 'https://storage.googleapis.com', GCS_TOKEN_URL: 'https://oauth2.googleapis.com/token' });
  });

  it('credentials (the variables a service marks sensitive) sit in the Secret, never in the ConfigMap', () => {
    const sensitive = new Set(apps.flatMap((app) => serviceEnvVars(app).filter((name) => isSensitiveEnv(SERVICE_ENV_SCHEMAS[app], name) && !isSimulatorVar(name))));
    expect([...sensitive]).toEqual(expect.arrayContaining(['DATABASE_URL', 'SECRETS_ENCRYPTION_KEY', 'OUTCOME_EMAIL_SMTP_URL', 'VOICE_HTTP_SIGNING_SECRET', 'VOICE_WEBHOOK_SECRET']));
    expect(Object.keys(dataOf('Secret')).sort()).toEqual([...sensitive].sort());
    expect(Object.keys(dataOf('ConfigMap')).filter((name) => sensitive.has(name))).toEqual([]);
  });

  it('P2.4 the Secret holds placeholders that cannot pass for a real encryption key; optional credentials are empty', () => {
    const secret = dataOf('Secret');
    expect(secret['SECRETS_ENCRYPTION_KEY']).toMatch(/REPLACE/);
    expect(Buffer.from(secret['SECRETS_ENCRYPTION_KEY'], 'base64').length).not.toBe(32);
    expect(secret['DATABASE_URL']).toMatch(/REPLACE/);
    // Empty counts as unset: outcome e-mails and the HTTP voice runtime stay off until an operator sets them.
    expect([secret['OUTCOME_EMAIL_SMTP_URL'], secret['VOICE_HTTP_SIGNING_SECRET'], secret['VOICE_WEBHOOK_SECRET']]).toEqual(['', '', '']);
  });

  it('the migration Job runs the migrate image with the database secret, as non-root', () => {
    const [job] = objectsOfKind<K8sObject & { spec: { template: { spec: PodSpec & { restartPolicy: string } } } }>('Job');
    expect(job).toBeDefined();
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].image).toBe('switchboard/migrate:latest');
    expect(pod.containers[0].envFrom).toContainEqual({ secretRef: { name: 'switchboard-secrets' } });
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
  });

  it('kustomize renders the whole set (kubectl kustomize)', async (context) => {
    if (!(await programAvailable('kubectl', ['version', '--client'], workspaceRoot))) {
      console.warn('[skip] kubectl is not installed, so the kustomize rendering check cannot run');
      context.skip('kubectl is not installed');
    }
    const result = await runCommand('kubectl', ['kustomize', k8sDir], {
      cwd: workspaceRoot,
      timeoutMs: 30_000,
      installHint: 'install kubectl',
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const rendered = parseAllDocuments(result.stdout).map((doc) => doc.toJS() as K8sObject & { metadata: { namespace?: string } });
    const named = (kind: string) => rendered.filter((object) => object.kind === kind).map((object) => object.metadata.name).sort();
    expect(named('Deployment')).toEqual(apps);
    expect(named('HorizontalPodAutoscaler')).toEqual(apps);
    expect(named('NetworkPolicy')).toEqual(['default-deny-ingress', ...apps].sort());
    for (const object of rendered.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('switchboard');
    }
  });
});

describe('P4.4 the same services everywhere', () => {
  it('docker-compose.yml, the Dockerfile and deploy/k8s are exactly what `npm run deploy:generate` writes from apps/*/service.json', () => {
    expect(outdatedDeploymentFiles(workspaceRoot)).toEqual([]);
  });

  it("every service listens on its manifest's port in compose, Kubernetes and the Dockerfile's EXPOSE", () => {
    const manifestPorts = loadServiceManifests(workspaceRoot);
    for (const { name, port } of manifestPorts) {
      expect(composePort(name), `${name} in docker-compose.yml`).toBe(port);
      expect(deploymentOf(name).spec.template.spec.containers[0].ports, `${name} in deploy/k8s`).toEqual([{ name: 'http', containerPort: port }]);
    }
    const expose = readDockerfileStages().get('runtime')?.lines.find((line) => line.startsWith('EXPOSE ')) ?? '';
    expect(expose.split(/\s+/).slice(1).map(Number)).toEqual(manifestPorts.map(({ port }) => port));
  });

  it('apps/, docker-compose.yml and deploy/k8s name the same services', () => {
    const composeApps = Object.keys(compose.services).filter((name) => !INFRA_SERVICES.includes(name)).sort();
    const k8sDeployments = objectsOfKind('Deployment').map((object) => object.metadata.name).sort();
    const k8sServices = objectsOfKind('Service').map((object) => object.metadata.name).sort();
    expect(composeApps).toEqual(apps);
    expect(k8sDeployments).toEqual(apps);
    expect(k8sServices).toEqual(apps);
  });
});
