/**
 * Text Postgres cannot store: NUL (22021 in text, 22P05 in jsonb) and UTF-16 surrogates without
 * their other half (not encodable as UTF-8). Such input is refused at the edge with a 400.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unsafeTextProblem(text: string): string | undefined {
  const match = UNSAFE.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'must not contain NUL characters (\\u0000)' : 'must not contain unpaired UTF-16 surrogates';
}

/** Keys that reach object prototypes in JavaScript; refused rather than silently dropped. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
