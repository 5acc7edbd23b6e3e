import { serviceDatabaseUrl } from '../database-url';
import { PLATFORM_TABLES, platformSchemaScript } from './platform-migrations';

/**
 * The contents of every service's prisma.config.ts (paths relative to apps/<svc>): the service's
 * schema and migrations, and the platform tables (outbox, inbox, platform history) declared
 * external, so neither `migrate dev` here nor Prisma's own CLI ever diffs or drops them. The shadow
 * database starts from the platform migrations, so service migrations may reference those tables.
 */
export function servicePrismaConfig(schema: string) {
  return {
    experimental: { externalTables: true },
    schema: 'prisma/schema.prisma',
    migrations: { path: 'prisma/migrations', initShadowDb: platformSchemaScript() },
    // Schema-qualified: the engine matches external tables as `<schema>.<table>`.
    tables: { external: PLATFORM_TABLES.map((table) => `${schema}.${table}`) },
    datasource: { url: serviceDatabaseUrl(schema) },
  };
}
