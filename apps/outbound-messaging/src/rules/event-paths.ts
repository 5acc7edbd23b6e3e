/** `contact.phoneNumber`: at most five dotted names; never a prototype's key, so a path reads only the event's own data. */
const PATH = /^[A-Za-z][A-Za-z0-9_]{0,63}(\.[A-Za-z][A-Za-z0-9_]{0,63}){0,4}$/;
const FORBIDDEN = new Set(['constructor', 'prototype']);

export function isEventPath(path: string): boolean {
  return PATH.test(path) && !path.split('.').some((name) => FORBIDDEN.has(name));
}

/** The text at `path` in an event's data: strings as they are, numbers and booleans as text; anything else undefined. */
export function readEventPath(data: unknown, path: string): string | undefined {
  let current: unknown = data;
  for (const name of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  if (typeof current === 'string') return current.trim() === '' ? undefined : current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
