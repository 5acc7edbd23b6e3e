import { ValidationFailed } from '@switchboard/service-kit';
import { z } from 'zod';
import type { FieldError, ValidationResult } from '../configurations/configuration.schema';

/** Unwraps a domain validation result, or answers 400 naming every offending field (P2.1). */
export function valueOrValidationFailed<T>(result: ValidationResult<T>): T {
  if (result.ok) return result.value;
  throw new ValidationFailed(result.errors.map((e: FieldError) => ({ field: e.field || '(root)', message: e.message })));
}

/** Validates one named input (a path parameter, a header) so a 400 names it rather than "(root)". */
export function parseNamed<S extends z.ZodType>(name: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationFailed(result.error.issues.map((issue) => ({ field: name, message: issue.message })));
}
