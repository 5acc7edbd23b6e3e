import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodes } from './service-projects';

const [pattern, createServiceNodes] = createNodes;
let workspaceRoot: string | undefined;

/** A throw-away workspace holding only the given manifests; resolves with their paths. */
function workspaceWith(manifests: Record<string, object>): string[] {
  workspaceRoot = mkdtempSync(join(tmpdir(), 'sb-nx-plugin-'));
  return Object.entries(manifests).map(([folder, manifest]) => {
    mkdirSync(join(workspaceRoot as string, 'apps', folder), { recursive: true });
    writeFileSync(join(workspaceRoot as string, 'apps', folder, 'service.json'), JSON.stringify(manifest));
    return `apps/${folder}/service.json`;
  });
}

async function projectsFor(paths: string[]) {
  const results = await createServiceNodes(paths, undefined, { workspaceRoot: workspaceRoot as string, nxJsonConfiguration: {} });
  return results.map(([file, result]) => ({ file, ...Object.values(result.projects ?? {})[0] }));
}

const manifest = (name: string, port: number) => ({ name, port, schema: name.replace(/-/g, '_'), title: `Switchboard ${name}`, description: 'A service.', topics: [] });

afterEach(() => {
  if (workspaceRoot) rmSync(workspaceRoot, { recursive: true, force: true });
  workspaceRoot = undefined;
});

describe('service projects are inferred from apps/<name>/service.json', () => {
  it('matches each app folder\'s service.json', () => {
    expect(pattern).toBe('apps/*/service.json');
  });

  it('makes one application per manifest, named and tagged after it, in port order', async () => {
    const projects = await projectsFor(workspaceWith({ 'billing-sync': manifest('billing-sync', 3102), refunds: manifest('refunds', 3101) }));
    expect(projects.map(({ file, name, root, sourceRoot, projectType, tags }) => ({ file, name, root, sourceRoot, projectType, tags }))).toEqual([
      { file: 'apps/refunds/service.json', name: 'refunds', root: 'apps/refunds', sourceRoot: 'apps/refunds/src', projectType: 'application', tags: ['scope:refunds', 'type:app'] },
      {
        file: 'apps/billing-sync/service.json',
        name: 'billing-sync',
        root: 'apps/billing-sync',
        sourceRoot: 'apps/billing-sync/src',
        projectType: 'application',
        tags: ['scope:billing-sync', 'type:app'],
      },
    ]);
  });

  it('gives every service the same build (shared webpack config, dist/apps/<name>), serve and lint targets', async () => {
    const [project] = await projectsFor(workspaceWith({ refunds: manifest('refunds', 3101) }));
    const { build, serve, lint } = project.targets ?? {};
    expect(build?.options).toEqual({
      command: 'webpack-cli build --config ../../tools/nx-plugin/webpack/service.webpack.config.js',
      cwd: 'apps/refunds',
      env: { NODE_ENV: 'production' },
    });
    expect(build?.outputs).toEqual(['{workspaceRoot}/dist/apps/refunds']);
    expect(build?.cache).toBe(true);
    expect(serve?.options).toEqual({ buildTarget: 'refunds:build', runBuildTargetDependencies: false });
    expect(lint?.options).toEqual({ command: 'eslint .', cwd: 'apps/refunds' });
    // The lint rules' scopes come from every manifest, so any manifest changes the lint result.
    expect(lint?.inputs).toContain('{workspaceRoot}/apps/*/service.json');
  });

  it('stops the project graph with the manifests\' problems, naming each file', async () => {
    const paths = workspaceWith({ refunds: manifest('refunds', 3101), billing: { ...manifest('billing', 3101), color: 'red' } });
    await expect(projectsFor(paths)).rejects.toThrow(/apps\/billing\/service\.json: Unrecognized key: "color"/);
  });

  it('infers the five services of this workspace', async () => {
    workspaceRoot = undefined;
    const root = join(__dirname, '../../..');
    const names = ['proactive-delivery', 'outbound-messaging', 'crm-sync', 'storage-export', 'event-bridge'];
    const results = await createServiceNodes(
      names.map((name) => `apps/${name}/service.json`),
      undefined,
      { workspaceRoot: root, nxJsonConfiguration: {} },
    );
    expect(results.map(([, result]) => Object.values(result.projects ?? {})[0].name)).toEqual(names);
  });
});
