import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { MIGRATION_SCRIPT_FILE, migrationChecksum } from './migrations-directory';

/**
 * A committed migration that was edited on purpose, with the checksums its earlier versions were
 * recorded under in `_prisma_migrations`. Deploy replaces exactly those checksums, so a database
 * migrated with an earlier version upgrades cleanly, while any other edit is still reported.
 */
export interface SupersededMigration {
  migration: string;
  previousChecksums: string[];
  /** Why the file was edited (kept in the file for reviewers; not used at run time). */
  why: string;
}

/** apps/<svc>/prisma/superseded-migrations.json, beside the migrations folder. */
export const SUPERSEDED_MIGRATIONS_FILE = 'superseded-migrations.json';

const fileSchema = z.record(
  z.string().regex(/^\d{14}_[A-Za-z0-9_-]+$/, 'must be a migration folder name'),
  z.strictObject({ why: z.string().min(1), previousChecksums: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest')).min(1) }),
);

export async function readSupersededMigrations(migrationsDir: string): Promise<SupersededMigration[]> {
  const path = join(migrationsDir, '..', SUPERSEDED_MIGRATIONS_FILE);
  if (!existsSync(path)) return [];
  const parsed = fileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  const unknown = Object.keys(parsed.data).filter((migration) => !existsSync(join(migrationsDir, migration, MIGRATION_SCRIPT_FILE)));
  if (unknown.length > 0) throw new Error(`${path} names migrations that are not in ${migrationsDir}: ${unknown.join(', ')}`);
  return Object.entries(parsed.data).map(([migration, entry]) => ({ migration, ...entry }));
}

/**
 * Points the history of `schema` at the current version of each superseded migration. A failed
 * attempt of an earlier version is marked rolled back, so the current version runs on deploy: a
 * migration file runs as one transaction, so a failed one left nothing behind. Returns the
 * migrations whose history changed.
 */
export async function supersedeEditedMigrations(client: pg.Client, schema: string, migrationsDir: string, superseded: SupersededMigration[]): Promise<string[]> {
  const history = `${client.escapeIdentifier(schema)}."_prisma_migrations"`;
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [history]);
  if (!exists.rows[0]?.found) return [];
  const changed: string[] = [];
  for (const { migration, previousChecksums } of superseded) {
    const current = migrationChecksum(await readFile(join(migrationsDir, migration, MIGRATION_SCRIPT_FILE), 'utf8'));
    const rolledBack = await client.query(
      `UPDATE ${history} SET rolled_back_at = now()
        WHERE migration_name = $1 AND checksum = ANY($2) AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [migration, previousChecksums],
    );
    const repointed = await client.query(
      `UPDATE ${history} SET checksum = $3 WHERE migration_name = $1 AND checksum = ANY($2) AND finished_at IS NOT NULL`,
      [migration, previousChecksums, current],
    );
    if ((rolledBack.rowCount ?? 0) + (repointed.rowCount ?? 0) > 0) changed.push(migration);
  }
  return changed;
}
