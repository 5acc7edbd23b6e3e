/**
 * Turns a JSON.parse failure into "Malformed JSON at line 14, column 1: Expected ',' or '}' after
 * property value". V8 gives a position for most errors but not for "Unexpected token" ones (it
 * quotes a snippet instead), so the offset is then found by scanning the text.
 */
export function describeJsonSyntaxError(text: string, parserMessage: string): string {
  const reported = /at position (\d+)/.exec(parserMessage);
  const offset = reported ? Number(reported[1]) : (findJsonSyntaxErrorOffset(text) ?? text.length);
  const { line, column } = lineAndColumn(text, offset);
  return `Malformed JSON at line ${line}, column ${column}: ${reasonOf(parserMessage)}`;
}

function reasonOf(parserMessage: string): string {
  return (
    parserMessage
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at position \d+.*$/s, '')
      // V8 quotes a snippet of the body here; the position already says where.
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
      // A line break or tab as the unexpected token would break the message in two.
      .replace(/^Unexpected token '([\s\S])'/, (_match, token: string) => `Unexpected token '${JSON.stringify(token).slice(1, -1)}'`)
  );
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type Expectation = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close';

/**
 * Offset of the first character that cannot continue a valid JSON text, the text's length when it
 * ends too early, or undefined when it is valid. `strict` (body-parser's default) also requires an
 * object or array at the top. Iterative, so deeply nested input cannot overflow the stack.
 */
export function findJsonSyntaxErrorOffset(text: string, strict = true): number | undefined {
  const open: Array<'{' | '['> = [];
  let expect: Expectation = 'value';
  let i = skipWhitespace(text, 0);
  if (strict && text[i] !== '{' && text[i] !== '[') return i;

  for (;;) {
    i = skipWhitespace(text, i);
    if (i >= text.length) return open.length === 0 && expect === 'comma-or-close' ? undefined : i;
    const char = text[i];

    switch (expect) {
      case 'value':
      case 'value-or-close': {
        if (char === ']' && expect === 'value-or-close') {
          open.pop();
          i++;
          expect = 'comma-or-close';
        } else if (char === '{' || char === '[') {
          open.push(char);
          i++;
          expect = char === '{' ? 'key-or-close' : 'value-or-close';
        } else {
          const end = scanScalar(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = 'comma-or-close';
        }
        break;
      }
      case 'key':
      case 'key-or-close': {
        if (char === '}' && expect === 'key-or-close') {
          open.pop();
          i++;
          expect = 'comma-or-close';
        } else if (char === '"') {
          const end = scanString(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = 'colon';
        } else {
          return i;
        }
        break;
      }
      case 'colon': {
        if (char !== ':') return i;
        i++;
        expect = 'value';
        break;
      }
      case 'comma-or-close': {
        const innermost = open.at(-1);
        if (innermost === undefined) return i;
        if (char === ',') {
          expect = innermost === '{' ? 'key' : 'value';
        } else if (char === (innermost === '{' ? '}' : ']')) {
          open.pop();
        } else {
          return i;
        }
        i++;
        break;
      }
    }
  }
}

// Scanners return the offset after the token, or -(errorOffset + 1) when it is malformed.
function failAt(offset: number): number {
  return -(offset + 1);
}

function scanScalar(text: string, start: number): number {
  const char = text[start];
  if (char === '"') return scanString(text, start);
  if (char === '-' || isDigit(char)) return scanNumber(text, start);
  for (const literal of ['true', 'false', 'null']) {
    if (literal[0] === char) return scanLiteral(text, start, literal);
  }
  return failAt(start);
}

function scanLiteral(text: string, start: number, literal: string): number {
  for (let k = 0; k < literal.length; k++) {
    if (text[start + k] !== literal[k]) return failAt(start + k);
  }
  return start + literal.length;
}

function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return failAt(i);
    if (code === 0x5c) {
      const escape = text[i + 1];
      if (escape === 'u') {
        for (let k = 2; k < 6; k++) {
          if (!/[0-9A-Fa-f]/.test(text[i + k] ?? '')) return failAt(i + k);
        }
        i += 6;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
        i += 2;
      } else {
        return failAt(i + 1);
      }
    } else {
      i++;
    }
  }
  return failAt(text.length);
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text[i] === '-') i++;
  if (text[i] === '0') {
    i++;
  } else if (isDigit(text[i])) {
    while (isDigit(text[i])) i++;
  } else {
    return failAt(i);
  }
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) return failAt(i);
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return failAt(i);
    while (isDigit(text[i])) i++;
  }
  return i;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
