import { z } from 'zod';

/** Schemas built by closed(), so their JSON Schema can say that no other keys are allowed. */
const closedSchemas = new WeakSet<z.core.$ZodType>();

/**
 * An object schema that refuses keys it does not declare, one error per key (with a hint when
 * only the letter case is wrong). Unlike z.strictObject it also reports unknown keys when other
 * fields are invalid, so a caller sees every problem at once. It is built on a loose object (the
 * check must see the unknown keys) but typed as a plain one: a parse that succeeds has none.
 */
export function closed<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strip> {
  const known = Object.keys(shape);
  const schema = z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const key of Object.keys(value).filter((key) => !known.includes(key))) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is not a known field (${unknownKeyHint(key, known)})` });
      }
    },
    // Run even when fields failed: only the keys matter here.
    { when: () => true },
  );
  closedSchemas.add(schema);
  return schema as unknown as z.ZodObject<S, z.core.$strip>;
}

function unknownKeyHint(key: string, known: readonly string[]): string {
  if (known.length === 0) return 'none are expected';
  const sameLetters = known.find((name) => name.toLowerCase() === key.toLowerCase());
  return sameLetters ? `did you mean "${sameLetters}"? Field names are case-sensitive` : `expected ${known.join(', ')}`;
}

/** True for a schema made by closed(), or derived from one by a refinement (zod keeps the parent). */
export function isClosedSchema(schema: z.core.$ZodType): boolean {
  for (let current: z.core.$ZodType | undefined = schema; current; current = current._zod.parent) {
    if (closedSchemas.has(current)) return true;
  }
  return false;
}

/** The same fields, each optional (for PATCH bodies). */
export function optionalFields<S extends z.ZodRawShape>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, z.optional(field)])) as { [K in keyof S]: z.ZodOptional<S[K]> };
}
