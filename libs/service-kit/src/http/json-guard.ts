import { z } from 'zod';
import type { FieldProblem } from '../errors/error-body';
import { FORBIDDEN_KEYS, unsafeTextProblem } from './unsafe-text';

export interface DepthScan {
  /** Nested deeper than allowed (the scan stopped there). */
  tooDeep: boolean;
  /** The top-level field holding the too-deep value (`(root)` for an array body). */
  field?: string;
  /** Whether the text has escapes (`\u`) or words that the parsed value must be checked for. */
  needsContentCheck: boolean;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

// Words whose presence means a key may be __proto__, constructor or prototype.
const SUSPECT_WORDS = /__proto__|constructor|prototype/;

/**
 * One pass over JSON text, before it is parsed: is it nested deeper than `maxDepth`? Iterative and
 * allocation-free, so 100 000 nested brackets cost a loop, not a stack. Malformed text is left for
 * JSON.parse to describe.
 */
export function scanJsonDepth(text: string, maxDepth: number): DepthScan {
  let depth = 0;
  let inString = false;
  let hasEscapeU = false;
  // Where the current top-level key starts and ends (root object only).
  let keyStart = -1;
  let keyEnd = -1;
  let expectingTopKey = false;
  const rootIsObject = text.trimStart().charCodeAt(0) === OPEN_OBJECT;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) {
        if (text.charCodeAt(i + 1) === 0x75) hasEscapeU = true;
        i++;
      } else if (code === QUOTE) {
        inString = false;
        if (keyStart >= 0 && keyEnd < 0) keyEnd = i + 1;
      }
      continue;
    }
    if (code === QUOTE) {
      inString = true;
      if (expectingTopKey) {
        keyStart = i;
        keyEnd = -1;
        expectingTopKey = false;
      }
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
      if (depth > maxDepth) return { tooDeep: true, field: topField(text, rootIsObject, keyStart, keyEnd), needsContentCheck: true };
      if (depth === 1 && rootIsObject) expectingTopKey = true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    } else if (code === COMMA && depth === 1 && rootIsObject) {
      expectingTopKey = true;
    }
  }
  return { tooDeep: false, needsContentCheck: hasEscapeU || SUSPECT_WORDS.test(text) };
}

function topField(text: string, rootIsObject: boolean, keyStart: number, keyEnd: number): string {
  if (!rootIsObject || keyStart < 0 || keyEnd < 0) return '(root)';
  try {
    return JSON.parse(text.slice(keyStart, keyEnd)) as string;
  } catch {
    return '(root)';
  }
}

type Path = readonly (string | number)[];

interface Pending {
  value: unknown;
  path: Path;
}

const fieldOf = (path: Path) => z.core.toDotPath([...path]) || '(root)';

/**
 * Every string and key in a parsed JSON value that Postgres cannot store (NUL, lone surrogates) or
 * that names a prototype (`__proto__`, `constructor`, `prototype`), with its path
 * (`InputAttributes.note`, `items[2]`). Iterative; the depth was bounded before parsing.
 */
export function findUnsafeJsonContent(value: unknown, limit = 20): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Pending[] = [{ value, path: [] }];
  while (pending.length > 0 && problems.length < limit) {
    const { value: current, path } = pending.pop() as Pending;
    if (typeof current === 'string') {
      const problem = unsafeTextProblem(current);
      if (problem) problems.push({ field: fieldOf(path), message: problem });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: [...path, i] });
    } else if (typeof current === 'object' && current !== null) {
      pushMembers(current as Record<string, unknown>, path, pending, problems);
    }
  }
  return problems;
}

// Problems in document order; members pushed last-first so they are visited first-first.
function pushMembers(object: Record<string, unknown>, path: Path, pending: Pending[], problems: FieldProblem[]): void {
  const keys = Object.keys(object).filter((key) => {
    const problem = keyProblem(key);
    if (problem) problems.push({ field: fieldOf(path), message: problem });
    return !problem;
  });
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    pending.push({ value: object[key], path: [...path, key] });
  }
}

// Named on the object holding the key, as the services' own schemas name it; the key itself is
// not repeated: it may hold the very character that cannot be stored or logged.
function keyProblem(key: string): string | undefined {
  if (FORBIDDEN_KEYS.has(key)) return `must not use the reserved key "${key}"`;
  const problem = unsafeTextProblem(key);
  return problem && `a field name ${problem}`;
}
