import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { FieldProblem } from './error-body';

/** 400 naming every offending field (P2.1). */
export class ValidationFailed extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({ message: summarize(problems), details: problems });
  }

  static fromZodError(error: z.ZodError): ValidationFailed {
    return new ValidationFailed(
      error.issues.map((issue) => ({ field: z.core.toDotPath(issue.path) || '(root)', message: issue.message })),
    );
  }
}

function summarize(problems: FieldProblem[]): string {
  if (problems.length === 0) return 'The request is invalid.';
  return `The request is invalid: ${problems.map(({ field, message }) => `${field}: ${message}`).join('; ')}`;
}
