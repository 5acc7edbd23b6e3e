/** Default for a developer machine: the local Postgres with trust auth. */
export const LOCAL_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/switchboard';

/**
 * Each service owns one Postgres schema. The shared DATABASE_URL names the database; the service's
 * schema is set with Prisma's `?schema=` parameter so migrations and `_prisma_migrations` land there.
 */
export function serviceDatabaseUrl(schema: string, base = process.env['DATABASE_URL'] ?? LOCAL_DATABASE_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** The schema named by a connection URL (Prisma's convention: `public` when absent). */
export function schemaOf(databaseUrl: string): string {
  return new URL(databaseUrl).searchParams.get('schema') ?? 'public';
}
