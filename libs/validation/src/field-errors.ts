import { ValidationFailed } from '@switchboard/service-kit';
import { z } from 'zod';
import { describeIssue } from './issue-wording';

/** One problem with an input. `field` is a path like `Windows[1].End`; '' is the input itself. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/** Turns zod's issues into FieldErrors: "<path> <predicate>", or "<label> <predicate>" for the input itself. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], inputLabel: string): FieldError[] {
  return issues.map((issue) => {
    const field = z.core.toDotPath(issue.path);
    return { field, message: `${field || inputLabel} ${issue.message}` };
  });
}

/**
 * Parses `input` with `schema`, wording every issue the schema did not word itself as a predicate
 * (describeIssue). `inputLabel` names the input as a whole: "The request body", "The query".
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, inputLabel: string): ValidationResult<z.output<S>> {
  const result = schema.safeParse(input, { error: describeIssue });
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error.issues, inputLabel) };
}

/** Unwraps a validation result, or answers 400 naming every offending field (P2.1). */
export function valueOrValidationFailed<T>(result: ValidationResult<T>): T {
  if (result.ok) return result.value;
  throw new ValidationFailed(result.errors.map((error) => ({ field: error.field || '(root)', message: error.message })));
}
