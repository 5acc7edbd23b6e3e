import { z } from 'zod';

// Every issue message is a predicate ("is required", "must be a string, not a number");
// toFieldErrors puts the field's path in front, so each error reads as a sentence.

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
  record: 'a JSON object',
};

function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return TYPE_NAMES[typeof value] ?? typeof value;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function describeSize(issue: { origin: string; minimum?: unknown; maximum?: unknown }, bound: 'at least' | 'at most'): string {
  const limit = Number(bound === 'at least' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    return limit === 1 && bound === 'at least' ? 'must not be empty' : `must be ${bound} ${plural(limit, 'character')} long`;
  }
  if (issue.origin === 'array') return `must contain ${bound} ${plural(limit, 'item')}`;
  return `must be ${bound} ${limit}`;
}

/** Zod's per-parse error function: a predicate for every issue a schema did not word itself. */
export function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValueType(issue.input)}`;
    case 'too_small':
      return describeSize(issue, 'at least');
    case 'too_big':
      return describeSize(issue, 'at most');
    case 'invalid_format':
      return issue.format === 'guid' ? 'must be a GUID like 00000000-0000-0000-0000-000000000000' : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_key':
      // A record's key schema failed; its own (already worded) issues say how.
      return issue.issues.map((inner) => inner.message).join('; ');
    default:
      return 'is invalid';
  }
}

/** Shortens user input quoted back in messages. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
