import type { FieldError, ValidationResult } from '@switchboard/validation';

/** The value of a result the test expects to be valid; otherwise fails, listing the errors. */
export function valueOf<T>(result: ValidationResult<T>): T {
  if (!result.ok) throw new Error(`expected valid input, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** The errors of a result the test expects to be refused; otherwise fails. */
export function errorsOf<T>(result: ValidationResult<T>): FieldError[] {
  if (result.ok) throw new Error(`expected the input to be refused, got ${JSON.stringify(result.value)}`);
  return result.errors;
}
