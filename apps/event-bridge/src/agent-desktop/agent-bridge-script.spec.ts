import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

interface ParserInstance {
  push(text: string): void;
  lastEventId(): string | undefined;
  resetPending(): void;
}

interface BridgeGlobal {
  ServerSentEventsParser: new (onEvent: (frame: SseFrame) => void, onRetry: (ms: number) => void) => ParserInstance;
  safeRecordUrl(value: unknown): string | undefined;
}

/** The served file itself, run as a browser would run it (a window global), without a browser. */
function loadBridgeScript(): BridgeGlobal {
  const window: { SwitchboardAgentBridge?: BridgeGlobal; document: object } = { document: {} };
  runInNewContext(readFileSync(join(__dirname, 'public', 'agent-bridge.js'), 'utf8'), { window, URL });
  if (!window.SwitchboardAgentBridge) throw new Error('agent-bridge.js defined no SwitchboardAgentBridge');
  return window.SwitchboardAgentBridge;
}

function parse(chunks: string[]) {
  const frames: SseFrame[] = [];
  const retries: number[] = [];
  const parser = new (loadBridgeScript().ServerSentEventsParser)((frame) => frames.push({ ...frame }), (ms) => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  return { frames, retries, parser };
}

describe('agent-bridge.js: the Server-Sent Events parser (EB3.1)', () => {
  const pop = 'id: 7\nevent: CRM_Record_Pop\ndata: {"type":"CRM_Record_Pop"}\n\n';

  it('reads id, event and data, skipping comments (heartbeats) and taking retry', () => {
    const { frames, retries, parser } = parse([`retry: 2000\n: connected\n\n${pop}: keep-alive\n\n`]);

    expect(frames).toEqual([{ id: '7', event: 'CRM_Record_Pop', data: '{"type":"CRM_Record_Pop"}' }]);
    expect(retries).toEqual([2000]);
    expect(parser.lastEventId()).toBe('7');
  });

  it('gives the same events whichever way the bytes are cut, with LF, CRLF or CR line ends', () => {
    const stream = `${pop}id: 8\nevent: New_Call\ndata: line one\ndata: line two\n\n`;
    const expected = parse([stream]).frames;

    for (const text of [stream, stream.replace(/\n/g, '\r\n'), stream.replace(/\n/g, '\r')]) {
      expect(parse(text.split('')).frames).toEqual(expected);
      expect(parse([text.slice(0, 5), text.slice(5, 40), text.slice(40)]).frames).toEqual(expected);
    }
    expect(expected[1]).toEqual({ id: '8', event: 'New_Call', data: 'line one\nline two' });
  });

  it('a CR at the end of one chunk and its LF at the start of the next make one line end', () => {
    expect(parse(['id: 1\r', '\ndata: x\r', '\n\r', '\n']).frames).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });

  it('an event cut off by a dropped connection does not move Last-Event-ID past it', () => {
    const { frames, parser } = parse([pop, 'id: 8\nevent: CRM_Record_Pop\nda']);

    expect(frames).toHaveLength(1);
    expect(parser.lastEventId()).toBe('7');
    parser.resetPending();
    parser.push('id: 8\nevent: CRM_Record_Pop\ndata: {}\n\n');
    expect(parser.lastEventId()).toBe('8');
  });
});

describe('agent-bridge.js: which recordUrl may become the CRM frame src (EB3.2)', () => {
  const { safeRecordUrl } = loadBridgeScript();

  it.each(['https://crm.example.com/record/1?x=1#y', 'http://127.0.0.1:8080/case/2'])('%s is loaded', (url) => {
    expect(safeRecordUrl(url)).toBe(url);
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://crm.example.com/1',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//crm.example.com/record/1',
    '/record/1',
    '',
    42,
    undefined,
  ])('%j is refused', (url) => {
    expect(safeRecordUrl(url)).toBeUndefined();
  });
});
