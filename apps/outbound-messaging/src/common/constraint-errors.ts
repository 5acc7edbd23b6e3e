/** Prisma's codes (and Postgres' own, for plain SQL) for a unique or foreign-key constraint that refused a write. */
const UNIQUE = new Set(['P2002', '23505']);
const FOREIGN_KEY = new Set(['P2003', '23503']);

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return UNIQUE.has(codeOf(error) as string);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return FOREIGN_KEY.has(codeOf(error) as string);
}
