import type { TargetConfiguration } from '@nx/devkit';
import { relative } from 'node:path/posix';

/** Workspace-relative path of the webpack config every service builds with. */
export const SERVICE_WEBPACK_CONFIG = 'tools/nx-plugin/webpack/service.webpack.config.js';
/** Workspace-relative path of the TypeScript options every service's tsconfig.json extends. */
export const SERVICE_TSCONFIG = 'tsconfig.service.json';

/**
 * The targets of a service project, the same for every service: what each apps/<name>/project.json
 * and webpack.config.js used to repeat.
 */
export function serviceTargets(name: string, projectRoot: string): Record<string, TargetConfiguration> {
  const dist = `{workspaceRoot}/dist/${projectRoot}`;
  return {
    build: {
      executor: 'nx:run-commands',
      options: { command: `webpack-cli build --config ${relative(projectRoot, SERVICE_WEBPACK_CONFIG)}`, cwd: projectRoot, env: { NODE_ENV: 'production' } },
      configurations: { development: { env: { NODE_ENV: 'development' } } },
      cache: true,
      dependsOn: ['^build'],
      inputs: ['production', '^production', `{workspaceRoot}/${SERVICE_WEBPACK_CONFIG}`, `{workspaceRoot}/${SERVICE_TSCONFIG}`, { externalDependencies: ['webpack-cli'] }],
      outputs: [dist],
      metadata: { technologies: ['webpack'], description: `Builds ${name} to dist/${projectRoot}/main.js` },
    },
    serve: {
      continuous: true,
      executor: '@nx/js:node',
      defaultConfiguration: 'development',
      dependsOn: ['build'],
      options: { buildTarget: `${name}:build`, runBuildTargetDependencies: false },
      configurations: {
        development: { buildTarget: `${name}:build:development` },
        production: { buildTarget: `${name}:build:production` },
      },
    },
    lint: {
      executor: 'nx:run-commands',
      options: { command: 'eslint .', cwd: projectRoot },
      cache: true,
      // The root config holds the rules; its module-boundary scopes come from every service.json.
      inputs: ['default', '^default', '{workspaceRoot}/eslint.config.mjs', '{workspaceRoot}/apps/*/service.json', { externalDependencies: ['eslint'] }],
      outputs: [],
      metadata: { technologies: ['eslint'], description: `Lints ${name}` },
    },
    'prune-lockfile': {
      dependsOn: ['build'],
      cache: true,
      executor: '@nx/js:prune-lockfile',
      outputs: [`${dist}/package.json`, `${dist}/package-lock.json`],
      options: { buildTarget: 'build' },
    },
    'copy-workspace-modules': {
      dependsOn: ['build'],
      cache: true,
      outputs: [`${dist}/workspace_modules`],
      executor: '@nx/js:copy-workspace-modules',
      options: { buildTarget: 'build' },
    },
    prune: { dependsOn: ['prune-lockfile', 'copy-workspace-modules'], executor: 'nx:noop' },
  };
}
