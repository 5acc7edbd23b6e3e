import { CrmTemplateError } from './template-error';

/** A parsed response data location: property names and array indexes from the root of the JSON answer. */
export type ResponseLocation = readonly (string | number)[];

const SEGMENT = /^([A-Za-z0-9_$@-]+)((?:\[\d+\])*)$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads a response data location (CS2.1) such as `data[0]`, `data.0.details` or `result.account`;
 * empty means the answer itself.
 */
export function parseResponseLocation(written: string, where = 'responseDataLocation'): ResponseLocation {
  const text = written.trim().replace(/^\$\.?/, '');
  if (text === '') return [];
  const path: (string | number)[] = [];
  for (const part of text.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) throw new CrmTemplateError(`${where}: "${part}" is not a property name or name[index] (write e.g. data[0].id)`);
    const name = match[1] ?? '';
    if (FORBIDDEN.has(name)) throw new CrmTemplateError(`${where}: "${name}" may not be used as a property name`);
    path.push(/^\d+$/.test(name) ? Number(name) : name);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/**
 * The object at the location in a JSON answer, or undefined when the answer has nothing there. An
 * array found at the location yields its first element: a find endpoint's list of matches.
 */
export function valueAtLocation(answer: unknown, location: ResponseLocation): unknown {
  let current = answer;
  for (const step of location) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number' ? !Array.isArray(current) || step >= current.length : !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return Array.isArray(current) ? current[0] : current;
}

/** A scalar found at a location (e.g. an attachment id or URL) as text, or undefined. */
export function textAtLocation(answer: unknown, location: ResponseLocation): string | undefined {
  const value = valueAtLocation(answer, location);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
