import { ValidationFailed } from '@switchboard/service-kit';
import type { FieldError, ValidationResult } from '../configurations/configuration.schema';

/** Unwraps a domain validation result, or answers 400 naming every offending field (P2.1). */
export function valueOrValidationFailed<T>(result: ValidationResult<T>): T {
  if (result.ok) return result.value;
  throw new ValidationFailed(result.errors.map((e: FieldError) => ({ field: e.field || '(root)', message: e.message })));
}
