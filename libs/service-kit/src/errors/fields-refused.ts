import { UnprocessableEntityException } from '@nestjs/common';
import type { FieldProblem } from './error-body';

/**
 * 422 with a stable code for well-formed input the service cannot accept (a URL the SSRF guard
 * refuses, an id naming another tenant's resource): the message joins the problems, details name each field.
 */
export class FieldsRefused extends UnprocessableEntityException {
  constructor(
    readonly code: string,
    readonly problems: FieldProblem[],
  ) {
    super({ code, message: problems.map((problem) => problem.message).join('; '), details: problems });
  }
}

/** Throws FieldsRefused when there are problems; returns otherwise. */
export function refuseFields(code: string, problems: FieldProblem[]): void {
  if (problems.length > 0) throw new FieldsRefused(code, problems);
}
