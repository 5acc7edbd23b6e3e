import { z } from 'zod';

/**
 * A JSON number that must be whole and within bounds. Not z.int(): its check aborts the whole
 * parse, which would hide the other errors of the body (unknown keys among them).
 */
export function wholeNumber(bounds: { min: number; max: number }) {
  return z
    .number()
    .min(bounds.min)
    .max(bounds.max)
    .refine(Number.isInteger, { error: (issue) => `must be a whole number, got ${String(issue.input)}` });
}
