import { ValidationFailed } from '@switchboard/service-kit';
import { z } from 'zod';

/** Validates one named input (a path parameter, a header) so a 400 names it rather than "(root)". */
export function parseNamed<S extends z.ZodType>(name: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationFailed(result.error.issues.map((issue) => ({ field: name, message: issue.message })));
}

/** A GUID in any letter case, normalised to lower case as ids are stored. */
export function lowerCaseGuid(message = 'must be a GUID') {
  return z.guid(message).transform((id) => id.toLowerCase());
}
