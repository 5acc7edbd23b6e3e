import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, findJsonSyntaxErrorOffset, lineAndColumn } from './json-syntax-error';

function v8MessageOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be malformed`);
}

const malformed = [
  '{"a":1 "b":2}',
  '{x',
  '{"a": tru}',
  '{"a":1,}',
  '[1,2',
  '{"a":"b\n"}',
  '{}  x',
  '[01]',
  '[1.]',
  '[1e]',
  '[-]',
  '{"a" 1}',
  '["\\x"]',
  '["\\u12G4"]',
  '[nul]',
  '{"a":[1,2}',
  '[1,]',
  '{"a":1}}',
  '[',
  '{"unterminated',
];

describe('findJsonSyntaxErrorOffset', () => {
  it.each(malformed)('P2.1 agrees with V8 wherever V8 reports a position: %j', (text) => {
    const reported = /at position (\d+)/.exec(v8MessageOf(text));
    const offset = findJsonSyntaxErrorOffset(text, false);

    expect(offset).toBeDefined();
    if (reported) expect(offset).toBe(Number(reported[1]));
  });

  it('P2.1 finds the token V8 only quotes in a snippet', () => {
    expect(findJsonSyntaxErrorOffset('{"a": tru}')).toBe(9);
    expect(findJsonSyntaxErrorOffset('{"items":[\n  {"id": 1},\n  {"id": }\n]}')).toBe(33);
  });

  it.each(['{}', '[]', '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"],"b":{"c":{}}}', ' [ "x" ] \n'])(
    'P2.1 accepts valid JSON: %j',
    (text) => {
      expect(findJsonSyntaxErrorOffset(text)).toBeUndefined();
    },
  );

  it('P2.1 in strict mode the top level must be an object or array', () => {
    expect(findJsonSyntaxErrorOffset('  42')).toBe(2);
    expect(findJsonSyntaxErrorOffset('  42', false)).toBeUndefined();
  });

  it('P2.1 copes with deep nesting without recursion', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(199_999);
    expect(findJsonSyntaxErrorOffset(deep)).toBe(deep.length);
  });
});

describe('describeJsonSyntaxError', () => {
  it('P2.1 names line and column from the position V8 reports', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';

    expect(describeJsonSyntaxError(text, v8MessageOf(text))).toBe(
      "Malformed JSON at line 3, column 3: Expected ',' or '}' after property value",
    );
  });

  it('P2.1 names line and column for unexpected tokens, without quoting the body', () => {
    const sameLine = '{\n  "enabled": tru}';
    const lineBreak = '{\n  "enabled": tru\n}';

    expect(describeJsonSyntaxError(sameLine, v8MessageOf(sameLine))).toBe(
      "Malformed JSON at line 2, column 17: Unexpected token '}'",
    );
    expect(describeJsonSyntaxError(lineBreak, v8MessageOf(lineBreak))).toBe(
      "Malformed JSON at line 2, column 17: Unexpected token '\\n'",
    );
  });

  it('P2.1 points past the end for truncated input', () => {
    const text = '{"a":\n[1,2';

    expect(describeJsonSyntaxError(text, v8MessageOf(text))).toMatch(/^Malformed JSON at line 2, column 5: /);
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
