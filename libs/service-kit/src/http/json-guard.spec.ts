import { describe, expect, it } from 'vitest';
import { findUnsafeJsonContent, scanJsonDepth } from './json-guard';
import { parseJsonBody } from './json-body';

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('scanJsonDepth (P2.3)', () => {
  it('P2.3 counts objects and arrays alike, and allows exactly the limit', () => {
    expect(scanJsonDepth(nested(64), 64).tooDeep).toBe(false);
    expect(scanJsonDepth(nested(65), 64).tooDeep).toBe(true);
    expect(scanJsonDepth('{"a":{"b":[{"c":1}]}}', 4).tooDeep).toBe(false);
    expect(scanJsonDepth('{"a":{"b":[{"c":1}]}}', 3).tooDeep).toBe(true);
  });

  it('P2.3 ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '[[[[{{{{ \\" ]]', quoted: 'say "[[[["' });

    expect(scanJsonDepth(text, 1).tooDeep).toBe(false);
  });

  it('P2.3 names the top-level field holding the too-deep value', () => {
    expect(scanJsonDepth(`{"ApiVersion":"1.0","InputAttributes":${nested(100)}}`, 64)).toMatchObject({ tooDeep: true, field: 'InputAttributes' });
    expect(scanJsonDepth(`{"a":[1,{"x":"}"}],"b\\"c":${nested(10)}}`, 5)).toMatchObject({ tooDeep: true, field: 'b"c' });
    expect(scanJsonDepth(nested(10), 5)).toMatchObject({ tooDeep: true, field: '(root)' });
  });

  it('P2.3 scans 100 000 levels without recursion', () => {
    expect(scanJsonDepth(`{"data":${nested(100_000)}}`, 64)).toMatchObject({ tooDeep: true, field: 'data' });
  });

  it('asks for a content check only when escapes or reserved words appear', () => {
    expect(scanJsonDepth('{"name":"plain text","n":[1,2]}', 64).needsContentCheck).toBe(false);
    expect(scanJsonDepth('{"name":"\\u00e9"}', 64).needsContentCheck).toBe(true);
    expect(scanJsonDepth('{"__proto__":{}}', 64).needsContentCheck).toBe(true);
    expect(scanJsonDepth('{"a":"constructor"}', 64).needsContentCheck).toBe(true);
  });
});

describe('findUnsafeJsonContent (P2.1)', () => {
  it('P2.1 finds NUL characters in values and keys, with their paths', () => {
    const value = JSON.parse('{"a":{"b":["ok","x\\u0000y"]},"k\\u0000":1}');

    expect(findUnsafeJsonContent(value)).toEqual(
      expect.arrayContaining([
        { field: 'a.b[1]', message: 'must not contain NUL characters (\\u0000)' },
        { field: '(root)', message: 'a field name must not contain NUL characters (\\u0000)' },
      ]),
    );
  });

  it('P2.1 finds unpaired surrogates of either half, and accepts a proper pair', () => {
    const value = JSON.parse('{"high":"\\ud800","low":"a\\udc00","pair":"\\ud83d\\ude00"}');

    expect(findUnsafeJsonContent(value)).toEqual([
      { field: 'high', message: 'must not contain unpaired UTF-16 surrogates' },
      { field: 'low', message: 'must not contain unpaired UTF-16 surrogates' },
    ]);
  });

  it('P2.1 refuses keys that name prototypes, on the object holding them', () => {
    const value = JSON.parse('{"__proto__":{"admin":true},"x":{"constructor":{"prototype":1}}}');

    expect(findUnsafeJsonContent(value)).toEqual([
      { field: '(root)', message: 'must not use the reserved key "__proto__"' },
      { field: 'x', message: 'must not use the reserved key "constructor"' },
    ]);
  });
});

describe('parseJsonBody', () => {
  it('P2.1 parses what is fine, and an empty body as {}', () => {
    expect(parseJsonBody(' {"a":[1,"é"]}', 64)).toEqual({ a: [1, 'é'] });
    expect(parseJsonBody('\ufeff[]', 64)).toEqual([]);
    expect(parseJsonBody('  ', 64)).toEqual({});
  });

  it('P2.1 names line and column of malformed JSON, counted in the text as sent', () => {
    expect(() => parseJsonBody('\n  {"a" 1}', 64)).toThrow(/^Malformed JSON at line 2, column 8: /);
    expect(() => parseJsonBody('  "text"', 64)).toThrow('Malformed JSON at line 1, column 3: the body must be a JSON object or array');
  });

  it('P2.3 refuses depth before parsing, naming the field', () => {
    expect(() => parseJsonBody(`{"data":${nested(3_000)}}`, 64)).toThrow('data: must not be nested more than 64 levels deep');
  });
});
