import type { z } from 'zod';

/**
 * A cheaper validator for a zod schema, compiled from the schema's own definition (its length limits,
 * formats' regular expressions, enum values), for the hot path of the event catalog: every event is
 * checked once when written to the outbox and again by every consumer.
 *
 * `accepts(value)` is true only when zod would accept the value AND return a value deep-equal to it
 * (nothing to strip, no defaults, no transforms): the caller may then use the value itself instead of
 * zod's copy. False means "not sure": the caller runs zod, which also words any rejection. So the fast
 * path changes the cost of valid events only, never what is accepted or what a rejection says.
 * Schemas using anything not handled here compile to undefined, and zod alone serves them.
 */
export interface FastCheck {
  accepts(value: unknown): boolean;
  /** False from `accepts` also means zod rejects (plain values); objects may fall back for extra keys. */
  exact: boolean;
}

interface CheckDef {
  check?: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
}

interface SchemaDef extends CheckDef {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  innerType?: Schema;
  options?: Schema[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  /** Discriminated unions pick their option by this key, exclusive ones (`inclusive: false`) want exactly one. */
  discriminator?: string;
  inclusive?: boolean;
}

type Schema = { _zod: { def: SchemaDef; values?: Set<unknown> } };
type Test = (value: unknown) => boolean;

/** String formats whose zod check is its regular expression alone. */
const PATTERN_FORMATS = new Set(['datetime', 'date', 'time', 'uuid', 'guid', 'regex']);

export function compileFastCheck(schema: z.ZodType): FastCheck | undefined {
  return compile(schema as unknown as Schema);
}

function compile(schema: Schema): FastCheck | undefined {
  const def = schema._zod.def;
  switch (def.type) {
    case 'string':
      return exact(stringTest(def));
    case 'number':
      return exact(numberTest(def));
    case 'boolean':
      return noChecks(def) ? { accepts: (v) => typeof v === 'boolean', exact: true } : undefined;
    case 'null':
      return { accepts: (v) => v === null, exact: true };
    case 'unknown':
    case 'any':
      return { accepts: () => true, exact: true };
    case 'literal':
    case 'enum':
      return valuesTest(schema);
    case 'optional':
      return wrapped(def, (inner) => (v) => v === undefined || inner(v));
    case 'nullable':
      return wrapped(def, (inner) => (v) => v === null || inner(v));
    case 'union':
      return unionTest(def);
    case 'object':
      return objectTest(def);
    case 'record':
      return recordTest(def);
    default:
      return undefined;
  }
}

function passesAll(tests: Test[], value: unknown): boolean {
  for (let i = 0; i < tests.length; i++) if (!tests[i](value)) return false;
  return true;
}

const exact = (accepts: Test | undefined): FastCheck | undefined => accepts && { accepts, exact: true };
const noChecks = (def: SchemaDef) => !def.check && (def.checks ?? []).length === 0;

function stringTest(def: SchemaDef): Test | undefined {
  const tests: Test[] = [];
  const checks = [...(def.check ? [def] : []), ...(def.checks ?? []).map((check) => check._zod.def)];
  for (const check of checks) {
    const { minimum, maximum, length, pattern } = check;
    if (check.check === 'min_length' && minimum !== undefined) tests.push((v) => (v as string).length >= minimum);
    else if (check.check === 'max_length' && maximum !== undefined) tests.push((v) => (v as string).length <= maximum);
    else if (check.check === 'length_equals' && length !== undefined) tests.push((v) => (v as string).length === length);
    else if (check.check === 'string_format' && PATTERN_FORMATS.has(check.format ?? '') && pattern && !pattern.global && !pattern.sticky) {
      tests.push((v) => pattern.test(v as string));
    } else return undefined;
  }
  return (v) => typeof v === 'string' && passesAll(tests, v);
}

function numberTest(def: SchemaDef): Test | undefined {
  const tests: Test[] = [];
  const checks = [...(def.check ? [def] : []), ...(def.checks ?? []).map((check) => check._zod.def)];
  for (const check of checks) {
    const { value, inclusive } = check;
    if (check.check === 'number_format' && check.format === 'safeint') tests.push((v) => Number.isSafeInteger(v));
    else if (check.check === 'greater_than' && value !== undefined) tests.push((v) => (inclusive ? (v as number) >= value : (v as number) > value));
    else if (check.check === 'less_than' && value !== undefined) tests.push((v) => (inclusive ? (v as number) <= value : (v as number) < value));
    else return undefined;
  }
  return (v) => typeof v === 'number' && Number.isFinite(v) && passesAll(tests, v);
}

function valuesTest(schema: Schema): FastCheck | undefined {
  const values = schema._zod.values;
  if (!values || !noChecks(schema._zod.def)) return undefined;
  for (const value of values) if (value !== null && typeof value === 'object') return undefined;
  return { accepts: (v) => values.has(v), exact: true };
}

function wrapped(def: SchemaDef, wrap: (inner: Test) => Test): FastCheck | undefined {
  const inner = def.innerType && noChecks(def) ? compile(def.innerType) : undefined;
  return inner && { accepts: wrap((v) => inner.accepts(v)), exact: inner.exact };
}

/**
 * zod returns the first option that succeeds. An exact option's "no" is zod's "no" too, so the search may go
 * on past it; an inexact option's "no" may hide a zod "yes" with another output, so only the last may be one.
 */
function unionTest(def: SchemaDef): FastCheck | undefined {
  if (!noChecks(def) || !def.options?.length || def.discriminator !== undefined || def.inclusive === false) return undefined;
  const options = def.options.map(compile);
  if (options.some((option, index) => !option || (!option.exact && index < options.length - 1))) return undefined;
  const checks = options as FastCheck[];
  return {
    accepts: (v) => {
      for (let i = 0; i < checks.length; i++) if (checks[i].accepts(v)) return true;
      return false;
    },
    exact: checks.every((option) => option.exact),
  };
}

/** Plain objects only (JSON's): zod also takes class instances, but its copy of one would differ. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Symbol keys: JSON has none, and zod's copy would not carry them. */
const hasSymbolKeys = (value: object) => Object.getOwnPropertySymbols(value).length > 0;

/** zod writes its copy by assignment, which would set the prototype for this key instead of copying it. */
const UNSAFE_KEY = '__proto__';

function objectTest(def: SchemaDef): FastCheck | undefined {
  const catchall = def.catchall?._zod.def.type;
  if (!noChecks(def) || !def.shape || (catchall !== undefined && catchall !== 'unknown' && catchall !== 'never')) return undefined;
  const fields = new Map<string, { check: FastCheck; optional: boolean }>();
  for (const [key, field] of Object.entries(def.shape)) {
    const check = compile(field);
    if (!check) return undefined;
    fields.set(key, { check, optional: field._zod.def.type === 'optional' });
  }
  const requiredCount = [...fields.values()].filter((field) => !field.optional).length;
  const extrasAllowed = catchall === 'unknown';
  return {
    exact: false,
    // Walks the input's keys, not the shape's: events carry a few of their many optional fields.
    accepts: (v) => {
      if (!isPlainObject(v)) return false;
      let required = 0;
      for (const key in v) {
        if (!Object.hasOwn(v, key) || key === UNSAFE_KEY) return false;
        const field = fields.get(key);
        // Any other key: zod strips it (or refuses it), so its output would differ from the input.
        if (!field) {
          if (extrasAllowed) continue;
          return false;
        }
        if (!field.check.accepts(v[key])) return false;
        if (!field.optional) required++;
      }
      return required === requiredCount && !hasSymbolKeys(v);
    },
  };
}

function recordTest(def: SchemaDef): FastCheck | undefined {
  const keyCheck = def.keyType && compile(def.keyType);
  const valueCheck = def.valueType && compile(def.valueType);
  if (!noChecks(def) || !keyCheck || !valueCheck || def.keyType?._zod.def.type !== 'string') return undefined;
  return {
    exact: false,
    accepts: (v) => {
      if (!isPlainObject(v)) return false;
      for (const key in v) {
        if (!Object.hasOwn(v, key) || key === UNSAFE_KEY || !keyCheck.accepts(key) || !valueCheck.accepts(v[key])) return false;
      }
      return !hasSymbolKeys(v);
    },
  };
}
