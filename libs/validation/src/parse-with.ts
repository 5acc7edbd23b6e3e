import type { PipeTransform } from '@nestjs/common';
import { ValidationFailed } from '@switchboard/service-kit';
import { z } from 'zod';
import { validate, valueOrValidationFailed } from './field-errors';

/** Parses `value` with `schema`, or throws ValidationFailed (400 naming each offending field). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationFailed.fromZodError(result.error);
  return result.data;
}

/**
 * A Nest pipe that parses with `schema` (what ZodBody and ZodQuery put on their parameter). With
 * an `inputLabel` ("The request body") the 400's messages are whole sentences in this library's
 * wording (see validate); without one they are the schema's own (or zod's) messages, as parseWith.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly inputLabel?: string,
  ) {}

  transform(value: unknown): z.output<S> {
    if (this.inputLabel === undefined) return parseWith(this.schema, value);
    return valueOrValidationFailed(validate(this.schema, value, this.inputLabel));
  }
}
