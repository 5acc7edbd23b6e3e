import type { z } from 'zod';
import { validate } from './field-errors';

interface DocumentedExample {
  readonly where: string;
  readonly schema: z.ZodType;
  readonly example: unknown;
}

const documented: DocumentedExample[] = [];

/** Remembers an example shown in the API document, so a test can prove that its schema accepts it. */
export function recordDocumentedExample(where: string, schema: z.ZodType, example: unknown): void {
  documented.push({ where, schema, example });
}

/**
 * Checks every example documented so far (by the controllers imported in this process) against
 * its own schema: `invalid` lists each refusal as "Controller.method: <field> <message>". A spec per
 * service asserts that it is empty: an example a client copies from /docs must work.
 */
export function checkDocumentedExamples(): { checked: number; invalid: string[] } {
  const invalid = documented.flatMap(({ where, schema, example }) => {
    const result = validate(schema, example, 'The example');
    return result.ok ? [] : result.errors.map((error) => `${where}: ${error.message}`);
  });
  return { checked: documented.length, invalid };
}
