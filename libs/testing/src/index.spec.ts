import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('@switchboard/testing outside vitest', () => {
  it('imports under plain tsx (the way tools load it) and explains what testInfra() needs', async () => {
    const index = resolve(__dirname, 'index.ts');
    const script = `
      const testing = require(${JSON.stringify(index)});
      const exported = ['startMockKafka', 'containerRuntimeAvailable', 'pickTestInfrastructure', 'uniqueTopic', 'createTestDatabase', 'testInfra']
        .filter((name) => typeof testing[name] === 'function');
      let message = 'no error';
      try { testing.testInfra({}); } catch (error) { message = error.message; }
      console.log(JSON.stringify({ exported, message }));
    `;
    const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx');
    const { stdout } = await run(tsx, ['-e', script], { timeout: 20_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(result.exported).toEqual(['startMockKafka', 'containerRuntimeAvailable', 'pickTestInfrastructure', 'uniqueTopic', 'createTestDatabase', 'testInfra']);
    expect(result.message).toMatch(/^testInfra\(\): no test infrastructure was published/);
  });
});
