import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A testcontainers client can hang for minutes on a host that accepts and never answers: bound the probe. */
export const CONTAINER_PROBE_TIMEOUT_MS = 1_500;

/** One place a container runtime may listen, in the order testcontainers itself would try it. */
export interface ContainerRuntimeEndpoint {
  /** As DOCKER_HOST spells it: `unix:///var/run/docker.sock`, `tcp://host:2375`, `npipe:////./pipe/docker_engine`. */
  uri: string;
  /** Where the endpoint came from, for the "why" in log lines. */
  source: string;
  /** testcontainers only looks at Docker's own sockets; a podman socket must be handed over as DOCKER_HOST. */
  needsDockerHost: boolean;
  tls?: { ca: Buffer; cert: Buffer; key: Buffer };
}

/** The probe's reason when nothing is configured at all (no traffic was sent). */
export const NO_CONTAINER_RUNTIME_CONFIGURED = 'no DOCKER_HOST and no docker/podman socket';

export type ContainerRuntimeProbe =
  | { available: true; endpoint: ContainerRuntimeEndpoint }
  | { available: false; reason: string };

export interface ContainerRuntimeLookup {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  uid?: number;
  platform?: NodeJS.Platform;
  fileExists?: (path: string) => boolean;
}

/**
 * Endpoints worth probing. An explicit DOCKER_HOST (or testcontainers' own properties file) is the only
 * candidate when present, because testcontainers tries it first and would hang on it before any socket.
 */
export function containerRuntimeEndpoints(lookup: ContainerRuntimeLookup = {}): ContainerRuntimeEndpoint[] {
  const env = lookup.env ?? process.env;
  const home = lookup.homeDir ?? homedir();
  const fileExists = lookup.fileExists ?? existsSync;
  const platform = lookup.platform ?? process.platform;

  const properties = readTestcontainersProperties(join(home, '.testcontainers.properties'), fileExists);
  const explicit =
    (properties['tc.host'] && { uri: properties['tc.host'], source: 'tc.host in ~/.testcontainers.properties' }) ||
    (env['DOCKER_HOST'] && { uri: env['DOCKER_HOST'], source: 'DOCKER_HOST' }) ||
    (properties['docker.host'] && { uri: properties['docker.host'], source: 'docker.host in ~/.testcontainers.properties' });
  if (explicit) {
    return [{ ...explicit, needsDockerHost: false, tls: dockerTls(explicit.uri, env, home, fileExists) }];
  }

  if (platform === 'win32') {
    return [{ uri: 'npipe:////./pipe/docker_engine', source: 'Docker Desktop named pipe', needsDockerHost: false }];
  }
  const uid = lookup.uid ?? userInfo().uid;
  const xdg = env['XDG_RUNTIME_DIR'];
  const sockets: Array<[path: string | undefined, needsDockerHost: boolean]> = [
    ['/var/run/docker.sock', false],
    [xdg && join(xdg, 'docker.sock'), false],
    [join(home, '.docker', 'run', 'docker.sock'), false],
    [join(home, '.docker', 'desktop', 'docker.sock'), false],
    [`/run/user/${uid}/docker.sock`, false],
    [xdg && join(xdg, 'podman', 'podman.sock'), true],
    [`/run/user/${uid}/podman/podman.sock`, true],
    ['/run/podman/podman.sock', true],
  ];
  const seen = new Set<string>();
  return sockets.flatMap(([path, needsDockerHost]) => {
    if (!path || seen.has(path) || !fileExists(path)) return [];
    seen.add(path);
    return [{ uri: `unix://${path}`, source: `socket ${path}`, needsDockerHost }];
  });
}

/**
 * Asks every candidate `GET /_ping` at once under one deadline and picks the first (in priority order) that
 * answers 200. With no candidate there is nothing to ask, so no network traffic happens at all.
 */
export async function probeContainerRuntime(
  lookup: ContainerRuntimeLookup = {},
  timeoutMs = CONTAINER_PROBE_TIMEOUT_MS,
  ping: (endpoint: ContainerRuntimeEndpoint, timeoutMs: number) => Promise<void> = pingDocker,
): Promise<ContainerRuntimeProbe> {
  const env = lookup.env ?? process.env;
  if (env['SB_TEST_NO_CONTAINERS'] === '1') {
    return { available: false, reason: 'SB_TEST_NO_CONTAINERS=1' };
  }
  const endpoints = containerRuntimeEndpoints(lookup);
  if (endpoints.length === 0) {
    return { available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED };
  }
  const outcomes = await Promise.allSettled(endpoints.map((endpoint) => ping(endpoint, timeoutMs)));
  const answered = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
  if (answered >= 0) {
    return { available: true, endpoint: endpoints[answered] };
  }
  const failures = outcomes.map((outcome, i) => {
    const why = outcome.status === 'rejected' ? errorMessage(outcome.reason) : 'unknown';
    return `${endpoints[i].source} (${endpoints[i].uri}) ${why}`;
  });
  return { available: false, reason: failures.join('; ') };
}

let cachedAvailability: Promise<boolean> | undefined;

/** True when a container runtime answers the bounded probe. Cached per process; never hangs past the bound. */
export function containerRuntimeAvailable(): Promise<boolean> {
  cachedAvailability ??= probeContainerRuntime().then((probe) => probe.available);
  return cachedAvailability;
}

/** Raw `GET /_ping`; resolves on HTTP 200, rejects with a short reason otherwise, always within `timeoutMs`. */
export function pingDocker(endpoint: ContainerRuntimeEndpoint, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let target: http.RequestOptions;
    try {
      target = requestTarget(endpoint.uri);
    } catch (error) {
      reject(error);
      return;
    }
    const transport = endpoint.tls ? https : http;
    const request = transport.request({ ...target, ...endpoint.tls, path: '/_ping', method: 'GET', agent: false });
    const deadline = setTimeout(() => {
      request.destroy(new Error(`did not answer /_ping within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('response', (response) => {
      response.resume();
      clearTimeout(deadline);
      request.destroy();
      if (response.statusCode === 200) resolve();
      else reject(new Error(`answered /_ping with HTTP ${response.statusCode}`));
    });
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(new Error(errorMessage(error)));
    });
    request.end();
  });
}

function requestTarget(uri: string): http.RequestOptions {
  if (uri.startsWith('unix://')) return { socketPath: uri.slice('unix://'.length) };
  if (uri.startsWith('npipe://')) return { socketPath: uri.slice('npipe://'.length) };
  const url = new URL(uri);
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new Error(`uses ${url.protocol}//, which the probe cannot reach (testcontainers supports unix:// and tcp://)`);
}

/** Mirrors Docker's client: DOCKER_TLS_VERIFY=1 means mutual TLS with ca/cert/key from DOCKER_CERT_PATH. */
function dockerTls(
  uri: string,
  env: NodeJS.ProcessEnv,
  home: string,
  fileExists: (path: string) => boolean,
): ContainerRuntimeEndpoint['tls'] {
  if (!uri.startsWith('tcp://') || env['DOCKER_TLS_VERIFY'] !== '1') return undefined;
  const dir = env['DOCKER_CERT_PATH'] ?? join(home, '.docker');
  const files = ['ca.pem', 'cert.pem', 'key.pem'].map((name) => join(dir, name));
  if (!files.every(fileExists)) return undefined;
  const [ca, cert, key] = files.map((file) => readFileSync(file));
  return { ca, cert, key };
}

/** Java-style `key=value` lines; only the three host keys testcontainers reads matter here. */
function readTestcontainersProperties(path: string, fileExists: (path: string) => boolean): Record<string, string> {
  if (!fileExists(path)) return {};
  const entries = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => /^\s*([\w.]+)\s*[=:]\s*(.*?)\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !match[1].startsWith('#'))
    .map((match) => [match[1], match[2]] as const);
  return Object.fromEntries(entries);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
