import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONTAINER_PROBE_TIMEOUT_MS,
  containerRuntimeEndpoints,
  NO_CONTAINER_RUNTIME_CONFIGURED,
  probeContainerRuntime,
} from './container-runtime';

describe('container runtime probe', () => {
  let home: string;
  // Only files inside the scratch dir exist for these tests, whatever the machine has in /var/run.
  const onlyScratch = (path: string) => path.startsWith(home) && existsSync(path);

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'sb-probe-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('skips the probe entirely when there is no DOCKER_HOST and no socket file', async () => {
    const ping = vi.fn(async () => undefined);
    const probe = await probeContainerRuntime({ env: {}, homeDir: home, fileExists: onlyScratch }, CONTAINER_PROBE_TIMEOUT_MS, ping);
    expect(probe).toEqual({ available: false, reason: NO_CONTAINER_RUNTIME_CONFIGURED });
    expect(ping).not.toHaveBeenCalled();
  });

  it('skips the probe when SB_TEST_NO_CONTAINERS=1 even though DOCKER_HOST is set', async () => {
    const ping = vi.fn(async () => undefined);
    const probe = await probeContainerRuntime({ env: { SB_TEST_NO_CONTAINERS: '1', DOCKER_HOST: 'tcp://127.0.0.1:2375' } }, 100, ping);
    expect(probe).toEqual({ available: false, reason: 'SB_TEST_NO_CONTAINERS=1' });
    expect(ping).not.toHaveBeenCalled();
  });

  it('makes DOCKER_HOST the only candidate, because testcontainers would try it before any socket', () => {
    const dockerSocketPresent = (path: string) => path === '/var/run/docker.sock';
    const endpoints = containerRuntimeEndpoints({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, homeDir: home, fileExists: dockerSocketPresent });
    expect(endpoints).toEqual([{ uri: 'tcp://10.0.0.5:2375', source: 'DOCKER_HOST', needsDockerHost: false, tls: undefined }]);
  });

  it("lets tc.host in ~/.testcontainers.properties win over DOCKER_HOST, as testcontainers does", () => {
    writeFileSync(join(home, '.testcontainers.properties'), '# desktop\ntc.host=tcp://127.0.0.1:49999\n');
    const endpoints = containerRuntimeEndpoints({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, homeDir: home, fileExists: onlyScratch });
    expect(endpoints.map((endpoint) => endpoint.uri)).toEqual(['tcp://127.0.0.1:49999']);
  });

  it('lists existing docker sockets before podman ones and marks podman as needing DOCKER_HOST', () => {
    const present = new Set(['/var/run/docker.sock', '/run/user/1000/podman/podman.sock']);
    const endpoints = containerRuntimeEndpoints({ env: {}, homeDir: home, uid: 1000, platform: 'linux', fileExists: (path) => present.has(path) });
    expect(endpoints).toEqual([
      { uri: 'unix:///var/run/docker.sock', source: 'socket /var/run/docker.sock', needsDockerHost: false },
      { uri: 'unix:///run/user/1000/podman/podman.sock', source: 'socket /run/user/1000/podman/podman.sock', needsDockerHost: true },
    ]);
  });

  it('gives up within the bound on a DOCKER_HOST that accepts the connection and never answers', async () => {
    const accepted: Socket[] = [];
    let hungUp = 0;
    const silent = createServer((socket) => {
      accepted.push(socket);
      socket.resume(); // read (and ignore) the request, so the client's hang-up is seen
      socket.on('close', () => hungUp++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const probe = await probeContainerRuntime({ env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` }, homeDir: home });
      const elapsed = Date.now() - started;

      expect(probe.available).toBe(false);
      expect(probe.available === false && probe.reason).toBe(
        `DOCKER_HOST (tcp://127.0.0.1:${port}) did not answer /_ping within ${CONTAINER_PROBE_TIMEOUT_MS} ms`,
      );
      expect(accepted).toHaveLength(1);
      expect(elapsed).toBeGreaterThanOrEqual(CONTAINER_PROBE_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(CONTAINER_PROBE_TIMEOUT_MS + 500);
      // The probe hung up: nothing is left to keep the process alive.
      await vi.waitFor(() => expect(hungUp).toBe(1));
    } finally {
      accepted.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('against a fake Docker API on a unix socket', () => {
    let server: http.Server;
    let status: number;
    const pings: string[] = [];

    beforeEach(async () => {
      status = 200;
      server = http.createServer((request, response) => {
        pings.push(`${request.method} ${request.url}`);
        response.writeHead(status).end(status === 200 ? 'OK' : 'boom');
      });
      await new Promise<void>((resolve) => server.listen(join(home, 'docker.sock'), resolve));
    });
    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('finds a rootless socket under XDG_RUNTIME_DIR and reports the runtime that answered GET /_ping', async () => {
      const probe = await probeContainerRuntime({ env: { XDG_RUNTIME_DIR: home }, homeDir: home, fileExists: onlyScratch });
      expect(probe).toEqual({
        available: true,
        endpoint: { uri: `unix://${join(home, 'docker.sock')}`, source: `socket ${join(home, 'docker.sock')}`, needsDockerHost: false },
      });
      expect(pings).toContain('GET /_ping');
    });

    it('does not count a runtime that answers /_ping with an error status', async () => {
      status = 500;
      const probe = await probeContainerRuntime({ env: { DOCKER_HOST: `unix://${join(home, 'docker.sock')}` }, homeDir: home });
      expect(probe).toEqual({ available: false, reason: `DOCKER_HOST (unix://${join(home, 'docker.sock')}) answered /_ping with HTTP 500` });
    });
  });
});
