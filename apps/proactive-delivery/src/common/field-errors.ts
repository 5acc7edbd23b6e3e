import { UnsupportedMediaTypeException } from '@nestjs/common';
import { ValidationFailed } from '@switchboard/service-kit';
import type { Request } from 'express';
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

const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** The vendor API takes JSON only (PD1.1): a form-encoded or text body is refused, not guessed at. */
export function requireJsonBody(request: Request): void {
  if (!request.is(JSON_MEDIA_TYPES)) {
    throw new UnsupportedMediaTypeException({ message: 'The request body must be JSON (Content-Type: application/json)' });
  }
}
