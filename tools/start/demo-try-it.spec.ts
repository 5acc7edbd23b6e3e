import { describe, expect, it } from 'vitest';
import { formatTryIt } from './demo-try-it';
import { formatSummary } from './summary';

const input = {
  tenantId: 'de300000-0000-4000-8000-00000000de30',
  agentId: '4711',
  eventBridgeUrl: 'http://127.0.0.1:3005',
  token: 'eyJ.token.sig',
  tokenHours: 12,
  mailInboxUrl: 'http://127.0.0.2:3095',
  exportsLocation: 'sftp://127.0.0.1:40022/demo-exports',
  afterCallDelaySec: 10,
};

describe('npm start: the "try it" block of the demo tenant (issue 12)', () => {
  it('shows the agent desktop with a ready token, one command per scenario, where mails and exports are, and the short delays', () => {
    const lines = formatTryIt(input);

    expect(lines[0]).toBe('  Try it (demo tenant de300000-0000-4000-8000-00000000de30; --no-demo leaves it out)');
    expect(lines).toContain('    Agent desktop  http://127.0.0.1:3005/demo/agent-desktop#token=eyJ.token.sig');
    expect(lines).toContain('    Token          eyJ.token.sig');
    for (const id of ['e1', 'e2', 'e3', 'e4']) expect(lines.filter((line) => line.startsWith(`    npm run demo -- ${id}  `))).toHaveLength(1);
    expect(lines).toContain('    npm run demo        all four, with a summary table');
    expect(lines).toContain('    E-mails        http://127.0.0.2:3095/messages');
    expect(lines).toContain('    Exports        sftp://127.0.0.1:40022/demo-exports');
    expect(lines.at(-1)).toContain('10 s after a call (not 15 min)');
  });

  it('the summary carries the block before its last line, and leaves it out without the demo tenant', () => {
    const base = { services: [], postgres: { url: 'postgresql://postgres@127.0.0.1:5432/switchboard', source: 'local' as const }, kafka: { brokers: ['127.0.0.1:40000'], mock: true }, logDir: '.local/logs', readyInMs: 1_000 };

    const withDemo = formatSummary({ ...base, tryIt: formatTryIt(input) });
    const without = formatSummary(base);

    expect(withDemo.indexOf('  Try it (demo tenant')).toBeGreaterThan(withDemo.indexOf('  Token     npm run mint-token'));
    expect(withDemo.indexOf('  Try it (demo tenant')).toBeLessThan(withDemo.indexOf('Ctrl-C stops everything.'));
    expect(without).not.toContain('Try it');
  });
});
