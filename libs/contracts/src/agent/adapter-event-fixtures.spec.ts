import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdapterEvent } from './adapter-event';

const FIXTURES = join(__dirname, 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Every JSON sample of the source's "Eventi negli adattatori degli agenti", the broken ones repaired. */
const SAMPLES: { file: string; type: string; key: [string, string]; sessionType?: string }[] = [
  { file: 'agent-login.json', type: 'Agent_Login', key: ['agent', '1'] },
  { file: 'new-call.json', type: 'New_Call', key: ['call', '103646'], sessionType: 'Voice Campaign' },
  { file: 'end-call.json', type: 'End_Call', key: ['call', '103646'], sessionType: 'Voice Campaign' },
  { file: 'new-chat.json', type: 'New_Chat', key: ['chat', '73522'], sessionType: 'Messaging (Web)' },
  { file: 'end-chat.json', type: 'End_Chat', key: ['chat', '73522'], sessionType: 'Messaging (Web)' },
  { file: 'active-chat.json', type: 'Active_Chat', key: ['chat', '73521'], sessionType: 'Messaging (Web)' },
  { file: 'chat-inbound-message.json', type: 'Chat_Inbound_Message', key: ['chat', '73522'], sessionType: 'Messaging (Web)' },
  { file: 'chat-outbound-message.json', type: 'Chat_Outbound_Message', key: ['chat', '73522'], sessionType: 'Messaging (Web)' },
  { file: 'dismissed-chat.json', type: 'Dismissed_Chat', key: ['chat', '73522'], sessionType: 'Messaging (Web)' },
  { file: 'cobrowse-session-started.json', type: 'Cobrowse_Session_Started', key: ['cobrowse', 'Y1zYY6XIYX4oapqpEz3qHw'] },
  { file: 'cobrowse-session-remote-control-changed.json', type: 'Cobrowse_Session_Remote_Control_Changed', key: ['cobrowse', 'Y1zYY6XIYX4oapqpEz3qHw'] },
  { file: 'cobrowse-session-full-device-changed.json', type: 'Cobrowse_Session_Full_Device_Changed', key: ['cobrowse', '9-Kshrag-gn6ZSuIxoMtWQ'] },
  { file: 'cobrowse-session-ended.json', type: 'Cobrowse_Session_Ended', key: ['cobrowse', '9-Kshrag-gn6ZSuIxoMtWQ'] },
  { file: 'transfer-chat.json', type: 'Transfer_Chat', key: ['chat', '103646'], sessionType: 'Messaging Inbound (SMS)' },
  { file: 'party-added.json', type: 'Party_Added', key: ['chat', '103646'], sessionType: 'Messaging Inbound (SMS)' },
  { file: 'agent-joined-chat.json', type: 'Agent_Joined_Chat', key: ['chat', '103646'], sessionType: 'Messaging Inbound (SMS)' },
  { file: 'agent-logout.json', type: 'Agent_Logout', key: ['agent', '1'] },
  { file: 'agent-assist-started.json', type: 'Agent_Assist_Started', key: ['session', '78534G4RT4284'] },
];

/** The redaction samples are `data` alone: the source gives no envelope for them. */
const DATA_ONLY_SAMPLES = [
  { file: 'call-redaction-started.json', type: 'Call_Redaction_Started' },
  { file: 'call-redaction-ended.json', type: 'Call_Redaction_Ended' },
];

/** The samples as the source prints them, with their syntax errors (EB1.5), and where JSON.parse stops. */
const BROKEN_SAMPLES = [
  { file: 'agent-login.seed.txt', repaired: 'agent-login.json', line: 7, column: 3, defect: 'trailing comma' },
  { file: 'agent-logout.seed.txt', repaired: 'agent-logout.json', line: 7, column: 3, defect: 'trailing comma' },
  { file: 'agent-joined-chat.seed.txt', repaired: 'agent-joined-chat.json', line: 13, column: 3, defect: 'trailing comma' },
  { file: 'transfer-chat.seed.txt', repaired: 'transfer-chat.json', line: 12, column: 5, defect: 'missing commas' },
];

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) as string).length + 1 };
}

describe("the source's adapter-event samples (EB1.2, EB1.5)", () => {
  it('covers every sample file in the fixtures folder', () => {
    const files = readdirSync(FIXTURES).sort();
    const covered = [...SAMPLES, ...DATA_ONLY_SAMPLES, ...BROKEN_SAMPLES].map((sample) => sample.file).sort();
    expect(files).toEqual(covered);
  });

  it.each(SAMPLES)('EB1.2 $file parses as $type keyed by $key', ({ file, type, key, sessionType }) => {
    const result = parseAdapterEvent(JSON.parse(read(file)));
    expect(result.success ? undefined : result.issues).toBeUndefined();
    if (!result.success) return;
    expect(result.event.knownType).toBe(type);
    expect(result.event.session).toEqual({ sessionKind: key[0], sessionId: key[1] });
    expect(result.event.sessionType).toBe(sessionType);
  });

  it.each(DATA_ONLY_SAMPLES)('EB1.2 $file parses as the data of $type', ({ file, type }) => {
    const result = parseAdapterEvent({ type, data: JSON.parse(read(file)) });
    expect(result.success && result.event.session).toEqual({ sessionKind: 'call', sessionId: '97939' });
  });

  it.each(BROKEN_SAMPLES)('EB1.5 $file ($defect) fails to parse at line $line, column $column', ({ file, line, column }) => {
    const text = read(file);
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    const position = /at position (\d+)/.exec(message);
    expect(position, message).not.toBeNull();
    expect(lineAndColumn(text, Number(position?.[1]))).toEqual({ line, column });
  });

  it.each(BROKEN_SAMPLES)('EB1.5 $repaired differs from $file only in commas', ({ file, repaired }) => {
    const withoutCommasAndSpace = (text: string) => text.replace(/[,\s]/g, '');
    expect(withoutCommasAndSpace(read(repaired))).toBe(withoutCommasAndSpace(read(file)));
    expect(read(repaired)).not.toBe(read(file));
  });
});
