import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '../errors/error-body';
import { ValidationFailed } from '../errors/validation-failed';
import { FORBIDDEN_KEYS, unsafeTextProblem } from './unsafe-text';

// Without a percent escape a URL cannot decode to NUL or a surrogate; then only the words matter.
const SUSPECT_URL = /%|__proto__|constructor|prototype/;

/**
 * Refuses (400 naming the parameter) query and path parameters that Postgres cannot store (NUL,
 * unpaired surrogates) or that name prototypes, before any handler sees them.
 */
export function refuseUnsafeParameters(request: FastifyRequest): void {
  if (!SUSPECT_URL.test(request.url)) return;
  const problems = [...problemsIn(request.query), ...problemsIn(request.params)];
  if (problems.length > 0) throw new ValidationFailed(problems);
}

function problemsIn(values: unknown): FieldProblem[] {
  if (typeof values !== 'object' || values === null) return [];
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (FORBIDDEN_KEYS.has(name)) {
      problems.push({ field: name, message: `"${name}" is a reserved name` });
      continue;
    }
    const nameProblem = unsafeTextProblem(name);
    if (nameProblem) {
      problems.push({ field: '(query)', message: `a parameter name ${nameProblem}` });
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = typeof item === 'string' ? unsafeTextProblem(item) : undefined;
      if (problem) problems.push({ field: name, message: problem });
    }
  }
  return problems;
}
