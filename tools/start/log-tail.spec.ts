import { describe, expect, it } from 'vitest';
import { readableTail } from './log-tail';

describe('readable log tail (P4.4 npm start)', () => {
  it('P4.4 turns pino JSON lines into time, level, context and message, with the error', () => {
    const output = [
      JSON.stringify({ level: 'info', time: '2026-01-02T03:04:05.678Z', service: 'crm-sync', context: 'Bootstrap', msg: 'crm-sync listening on http://127.0.0.1:3003' }),
      JSON.stringify({ level: 'error', time: '2026-01-02T03:04:06.000Z', msg: 'relay failed', err: { message: 'connection refused' } }),
      JSON.stringify({ level: 'warn', time: '2026-01-02T03:04:07.000Z', msg: 'publish failed', error: 'broker down' }),
    ].join('\n');

    expect(readableTail(output)).toEqual([
      '03:04:05 info  [Bootstrap] crm-sync listening on http://127.0.0.1:3003',
      '03:04:06 error relay failed — connection refused',
      '03:04:07 warn  publish failed — broker down',
    ]);
  });

  it('P4.4 keeps lines that are not log records as printed, and only the last ones', () => {
    const output = ['/app/main.js:1', 'TypeError: boom', '    at main (/app/main.js:1:1)', '', '{"not":"a log record"}', 'Node.js v20.20.2', ''].join('\n');

    expect(readableTail(output, 3)).toEqual(['    at main (/app/main.js:1:1)', '{"not":"a log record"}', 'Node.js v20.20.2']);
  });

  it('P4.4 gives nothing for a service that printed nothing', () => {
    expect(readableTail('')).toEqual([]);
  });
});
