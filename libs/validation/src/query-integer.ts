import { z } from 'zod';
import { quote } from './issue-wording';

const DECIMAL_DIGITS = /^\d+$/;

/**
 * A whole number in a query string, written in decimal digits only. z.coerce.number() would take
 * "0x10", "1e1", " 5" and "" (as 0); a limit must mean what it says, so those are refused.
 * Add .default(n) or .optional() for a parameter that may be left out.
 */
export function queryInteger(bounds: { min: number; max: number }) {
  const rule = `must be a whole number from ${bounds.min} to ${bounds.max}`;
  const inRange = (text: string) => {
    const value = Number(text);
    return DECIMAL_DIGITS.test(text) && value >= bounds.min && value <= bounds.max;
  };
  return z
    .string({ error: (issue) => `${rule}, given once (got ${Array.isArray(issue.input) ? 'several values' : typeof issue.input})` })
    .refine(inRange, { error: (issue) => `${rule}, got ${quote(issue.input)}` })
    .transform(Number)
    .meta({ type: 'integer', minimum: bounds.min, maximum: bounds.max });
}
