import { loadServiceManifests } from '@switchboard/service-manifest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** Lints source that is never written to disk, as if it stood at `filePath`. */
async function boundaryErrors(eslint: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries are enforced by lint', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors(eslint, 'apps/crm-sync/src/probe.ts', "import { eventBridgeEnv } from '../../event-bridge/src/config';\nexport const x = eventBridgeEnv;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a library importing an app', async () => {
    const errors = await boundaryErrors(eslint, 'libs/messaging/src/probe.ts', "import { crmSyncEnv } from '../../../apps/crm-sync/src/config';\nexport const x = crmSyncEnv;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses production library code importing the testing library', async () => {
    const errors = await boundaryErrors(eslint, 'libs/messaging/src/probe.ts', "import { uniqueTopic } from '@switchboard/testing';\nexport const x = uniqueTopic;\n");
    expect(errors.join()).toMatch(/type:infra/);
  });

  it('refuses contracts depending on infrastructure', async () => {
    const errors = await boundaryErrors(eslint, 'libs/contracts/src/probe.ts', "import { SecretBox } from '@switchboard/persistence';\nexport const x = SecretBox;\n");
    expect(errors.join()).toMatch(/type:contracts/);
  });

  it('has one scope constraint per service manifest (apps/<name>/service.json), and no other', async () => {
    const config = (await eslint.calculateConfigForFile(join(root, 'apps/crm-sync/src/main.ts'))) as { rules: Record<string, [unknown, { depConstraints: { sourceTag: string }[] }]> };
    const scopes = config.rules['@nx/enforce-module-boundaries'][1].depConstraints.map((constraint) => constraint.sourceTag).filter((tag) => tag.startsWith('scope:') && tag !== 'scope:shared');
    expect(scopes).toEqual(loadServiceManifests(root).map((manifest) => `scope:${manifest.name}`));
  });

  it('refuses a domain library depending on infrastructure', async () => {
    const errors = await boundaryErrors(eslint, 'libs/contact-time/src/probe.ts', "import { OutboxPublisher } from '@switchboard/messaging';\nexport const x = OutboxPublisher;\n");
    expect(errors.join()).toMatch(/type:domain/);
  });

  it('allows infrastructure and apps to use domain libraries', async () => {
    expect(await boundaryErrors(eslint, 'libs/validation/src/probe.ts', "import { parsePhoneNumber } from '@switchboard/contact-time';\nexport const x = parsePhoneNumber;\n")).toEqual([]);
    expect(await boundaryErrors(eslint, 'apps/crm-sync/src/probe.ts', "import { Clock } from '@switchboard/clock';\nexport const x = Clock;\n")).toEqual([]);
  });

  it('P2.1 refuses an app controller reading a body or query without a schema (@Body, @Query)', async () => {
    const [result] = await eslint.lintText("import { Body, Query } from '@nestjs/common';\nexport const x = [Body, Query];\n", { filePath: join(root, 'apps/crm-sync/src/probe.controller.ts') });
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)).toEqual([
      expect.stringContaining('Use ZodBody, DocumentedBody or ZodQuery'),
      expect.stringContaining('Use ZodBody, DocumentedBody or ZodQuery'),
    ]);
  });

  it('allows an app to use shared libraries, and a spec to use the testing library', async () => {
    expect(await boundaryErrors(eslint, 'apps/crm-sync/src/probe.ts', "import { Topics } from '@switchboard/contracts';\nexport const x = Topics;\n")).toEqual([]);
    expect(await boundaryErrors(eslint, 'libs/messaging/src/probe.spec.ts', "import { uniqueTopic } from '@switchboard/testing';\nexport const x = uniqueTopic;\n")).toEqual([]);
  });
});
