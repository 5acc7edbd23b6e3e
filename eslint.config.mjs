import nx from '@nx/eslint-plugin';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(import.meta.url);
// One scope per service, read from apps/<name>/service.json by the same (TypeScript) loader every tool
// uses; tsx, already a dependency, loads it without a build step.
const tsx = createRequire(configFile)('tsx/cjs/api');
const { loadServiceManifests } = tsx.require('./libs/service-manifest/src/index.ts', configFile);
const scopes = loadServiceManifests(dirname(configFile)).map((manifest) => manifest.name);

/** `testing` is the extra tag a spec (or its test support) of a library may reach. */
function depConstraints(testCode) {
  const testing = testCode ? ['type:testing'] : [];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', ...testing] },
    // Domain libraries (clock, contact time) reach contracts and each other, never infrastructure.
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', ...testing] },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', ...testing] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
    // Workspace tooling (the Nx plugin) reads manifests and contracts; it never reaches into apps.
    { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ...scopes.map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'] })),
  ];
}

const boundaries = (testCode) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: depConstraints(testCode),
  },
];

// Module boundaries: apps never import apps; a service only reaches its own scope and shared libs;
// shared libs never reach up into apps. Library tags live in each project.json; a service's tags
// (scope:<name>, type:app) are inferred from its service.json by tools/nx-plugin.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/generated/**', '**/vitest.config.*.timestamp*'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    // Scripts browsers run as they are (a feature's public/ folder): no bundler checks them, so a misspelt
    // name is caught here. Globals are the browser APIs they use.
    files: ['apps/*/src/*/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'URL', 'URLSearchParams', 'fetch', 'AbortController', 'TextDecoder', 'setTimeout', 'clearTimeout'].map((name) => [name, 'readonly']),
      ),
    },
    rules: { 'no-undef': 'error' },
  },
  {
    // A request's body and query are read through one zod schema that validates and documents them.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestjs/common', importNames: ['Body', 'Query'], message: 'Use ZodBody, DocumentedBody or ZodQuery from @switchboard/validation.' }] },
      ],
    },
  },
];
