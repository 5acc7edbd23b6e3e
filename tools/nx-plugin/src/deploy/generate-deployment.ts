/**
 * `npm run deploy:generate`: writes docker-compose.yml's services, the Dockerfile's EXPOSE line and
 * deploy/k8s (one file per service + kustomization) from every apps/<name>/service.json.
 * `npm run deploy:generate -- --check` changes nothing and exits 1 naming every file that is out of date.
 */
import { loadServiceManifests } from '@switchboard/service-manifest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deploymentChanges, type DeploymentChanges } from './deployment-files';

/** The deployment changes for the workspace on disk. */
export function workspaceDeploymentChanges(workspaceRoot: string): DeploymentChanges {
  return deploymentChanges(loadServiceManifests(workspaceRoot), {
    read: (path) => (existsSync(join(workspaceRoot, path)) ? readFileSync(join(workspaceRoot, path), 'utf8') : undefined),
    list: (dir) => readdirSync(join(workspaceRoot, dir)),
  });
}

/** The files whose content on disk differs from the generated one (or that should be gone). */
export function outdatedDeploymentFiles(workspaceRoot: string, changes = workspaceDeploymentChanges(workspaceRoot)): string[] {
  const differs = changes.write.filter(({ path, content }) => !existsSync(join(workspaceRoot, path)) || readFileSync(join(workspaceRoot, path), 'utf8') !== content);
  return [...differs.map(({ path }) => path), ...changes.remove];
}

function main(): number {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const workspaceRoot = resolve(__dirname, '../../../..');
  const changes = workspaceDeploymentChanges(workspaceRoot);
  const outdated = outdatedDeploymentFiles(workspaceRoot, changes);
  if (values.check) {
    if (outdated.length === 0) return 0;
    console.error(`Out of date with apps/*/service.json (run \`npm run deploy:generate\`): ${outdated.join(', ')}`);
    return 1;
  }
  for (const { path, content } of changes.write) if (outdated.includes(path)) writeFileSync(join(workspaceRoot, path), content);
  for (const path of changes.remove) rmSync(join(workspaceRoot, path));
  console.log(outdated.length === 0 ? 'Deployment files are up to date.' : `Updated: ${outdated.join(', ')}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
