import nx from '@nx/eslint-plugin';

// Module boundaries: apps never import apps; a service only reaches its own scope and shared libs;
// shared libs never reach up into apps. Tags live in every project.json.
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
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:proactive-delivery', onlyDependOnLibsWithTags: ['scope:proactive-delivery', 'scope:shared'] },
            { sourceTag: 'scope:outbound-messaging', onlyDependOnLibsWithTags: ['scope:outbound-messaging', 'scope:shared'] },
            { sourceTag: 'scope:crm-sync', onlyDependOnLibsWithTags: ['scope:crm-sync', 'scope:shared'] },
            { sourceTag: 'scope:storage-export', onlyDependOnLibsWithTags: ['scope:storage-export', 'scope:shared'] },
            { sourceTag: 'scope:event-bridge', onlyDependOnLibsWithTags: ['scope:event-bridge', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
