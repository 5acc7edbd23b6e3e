/**
 * The service generator, for real: in a copy of this workspace, `nx g @switchboard/tools:service`
 * makes a service that builds, lints, migrates its own schema, starts against a fresh database and
 * the test Kafka, and answers /health/ready.
 */
import { loadServiceManifests } from '@switchboard/service-manifest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../compose/run-command';
import { outdatedDeploymentFiles } from '../nx-plugin/src/deploy/generate-deployment';
import { nxBin } from '../start/build-services';
import { startTestStack, type TestStack } from './support/test-stack';
import { copyWorkspace, type WorkspaceCopy } from './support/workspace-copy';

const SERVICE = 'billing-sync';
const workspaceRoot = join(__dirname, '../..');
// Nx computes a project graph from nothing in the copy, and webpack builds cold: minutes on two busy cores.
const STEP_TIMEOUT_MS = 420_000;

describe('nx g @switchboard/tools:service creates a complete service', () => {
  let copy: WorkspaceCopy;
  let stack: TestStack | undefined;

  /** Nx in the copy, as a developer runs it; fails with its output when it exits non-zero. */
  async function nx(args: string[]): Promise<string> {
    const result = await runCommand(process.execPath, [nxBin(copy.root), ...args], {
      cwd: copy.root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
      timeoutMs: STEP_TIMEOUT_MS,
      installHint: 'run `npm install`',
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.exitCode !== 0) throw new Error(`nx ${args.join(' ')} exited ${result.exitCode}:\n${output}`);
    return output;
  }

  beforeAll(async () => {
    copy = await copyWorkspace(workspaceRoot);
    const output = await nx(['g', '@switchboard/tools:service', SERVICE, '--no-interactive']);
    expect(output).toContain(`CREATE apps/${SERVICE}/service.json`);
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    await stack?.stop();
    await copy?.remove();
  });

  it('declares it once, in apps/billing-sync/service.json, with the next free port, and writes its deployment entries like deploy:generate', () => {
    const manifests = loadServiceManifests(copy.root);
    expect(manifests.at(-1)).toEqual(expect.objectContaining({ name: SERVICE, port: 3006, schema: 'billing_sync', topics: [] }));
    expect(outdatedDeploymentFiles(copy.root)).toEqual([]);
    // The generator's last step: the Prisma client, so that the build needs nothing else.
    expect(existsSync(join(copy.root, 'apps', SERVICE, 'src/generated/prisma/client.ts'))).toBe(true);
  });

  it(
    'builds and lints',
    async () => {
      const output = await nx(['run-many', '-t', 'build', 'lint', '-p', SERVICE, '--outputStyle=static']);
      expect(output).toMatch(/Successfully ran targets build, lint for project billing-sync/);
      expect(existsSync(join(copy.root, 'dist/apps', SERVICE, 'main.js'))).toBe(true);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'migrates its own schema, starts against a fresh database and the test Kafka, and answers /health/ready with 200',
    async () => {
      stack = await startTestStack([SERVICE], {}, { workspaceRoot: copy.root });

      const ready = await fetch(`${stack.url(SERVICE)}/health/ready`);
      expect(ready.status, await ready.clone().text()).toBe(200);
      // Its OpenAPI title comes from the manifest, read by the built service itself.
      const openApi = (await (await fetch(`${stack.url(SERVICE)}/openapi.json`)).json()) as { info: { title: string } };
      expect(openApi.info.title).toBe('Switchboard billing-sync');
    },
    STEP_TIMEOUT_MS,
  );
});
