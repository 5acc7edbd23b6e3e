import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationChecksum } from './migrations-directory';

/**
 * Tables every service schema has, defined once here rather than in each service's Prisma
 * migrations: the messaging outbox and inbox, and the history of these platform migrations.
 * A service's prisma.config.ts declares them external, so Prisma's diff never touches them.
 */
export const PLATFORM_MIGRATIONS_TABLE = '_platform_migrations';
export const PLATFORM_TABLES = ['outbox_event', 'outbox_relay_state', 'inbox_event', 'job', PLATFORM_MIGRATIONS_TABLE] as const;

export interface PlatformMigration {
  /** File name without `.sql`: `<4-digit version>_<what it does>`, applied in that order. */
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = join(__dirname, 'platform-migrations');
const FILE_NAME = /^(\d{4}_[a-z0-9_]+)\.sql$/;

/** The platform migrations, oldest first. Unqualified DDL: it runs with search_path set to the service schema. */
export function platformMigrations(): PlatformMigration[] {
  return readdirSync(MIGRATIONS_DIR)
    .map((file) => FILE_NAME.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(MIGRATIONS_DIR, `${name}.sql`), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

/** Every platform migration as one script: what Prisma's shadow database starts from (`initShadowDb`). */
export function platformSchemaScript(): string {
  return platformMigrations()
    .map((migration) => migration.sql)
    .join('\n');
}
