import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_DATABASE_URL, schemaOf, serviceDatabaseUrl } from '../database-url';
import { assertSafeIdentifier } from './postgres-admin';
import { readSupersededMigrations, type SupersededMigration } from './superseded-migrations';
import { findWorkspaceRoot } from './workspace-root';

export interface PrismaSchemaFile {
  path: string;
  content: string;
}

/** Everything a migration command needs about one service, read from apps/<svc>/prisma.config.ts. */
export interface ServiceMigrationConfig {
  service: string;
  /** The Postgres schema the service owns (from `?schema=` of the config's datasource url). */
  pgSchema: string;
  /** The database URL to migrate, with `?schema=<pgSchema>`. */
  databaseUrl: string;
  schemaFiles: PrismaSchemaFile[];
  migrationsDir: string;
  /** SQL run on the shadow database before replaying migrations (`migrations.initShadowDb`). */
  shadowDbInitScript: string;
  filters: { externalTables: string[]; externalEnums: string[] };
  /** Committed migrations edited on purpose, with the checksums they replace (superseded-migrations.json). */
  superseded: SupersededMigration[];
}

export interface ServiceSelector {
  /** App folder name, e.g. 'crm-sync'. */
  service: string;
  /** Base database URL; the service's schema is appended. Default: DATABASE_URL, then the local Postgres. */
  databaseUrl?: string;
  /** Nx workspace root; found from the current directory when omitted. */
  workspaceRoot?: string;
}

/** App folders that carry a prisma.config.ts, i.e. the services that own a schema. */
export async function listMigratableServices(workspaceRoot = findWorkspaceRoot()): Promise<string[]> {
  return migratableServicesIn(workspaceRoot);
}

/** listMigratableServices, synchronously (e.g. to declare one test per service). */
export function migratableServicesIn(workspaceRoot: string): string[] {
  const appsDir = join(workspaceRoot, 'apps');
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, 'prisma.config.ts')))
    .map((entry) => entry.name)
    .sort();
}

async function readSchemaFiles(schemaPath: string): Promise<PrismaSchemaFile[]> {
  if (!(await stat(schemaPath)).isDirectory()) return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
  // A schema folder (multi-file schema): every .prisma file below it.
  const names = (await readdir(schemaPath, { recursive: true })).filter((name) => name.endsWith('.prisma')).sort();
  return Promise.all(names.map(async (name) => ({ path: join(schemaPath, name), content: await readFile(join(schemaPath, name), 'utf8') })));
}

export async function loadServiceConfig(selector: ServiceSelector): Promise<ServiceMigrationConfig> {
  const { service } = selector;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(service)) throw new Error(`Invalid service name ${JSON.stringify(service)}`);
  const appDir = join(selector.workspaceRoot ?? findWorkspaceRoot(), 'apps', service);
  if (!existsSync(join(appDir, 'prisma.config.ts'))) throw new Error(`${service}: no apps/${service}/prisma.config.ts`);

  // Imported on demand: @prisma/config takes ~1 s to load, and services importing this lib never need it.
  const { loadConfigFromFile } = await import('@prisma/config');
  const loaded = await loadConfigFromFile({ configFile: 'prisma.config.ts', configRoot: appDir });
  if (loaded.error) {
    const cause = 'error' in loaded.error ? `: ${loaded.error.error.message}` : '';
    throw new Error(`${service}: cannot load prisma.config.ts (${loaded.error._tag}${cause})`);
  }
  const { config } = loaded;
  if (!config.schema) throw new Error(`${service}: prisma.config.ts sets no schema`);
  const configUrl = config.datasource?.url;
  if (!configUrl) throw new Error(`${service}: prisma.config.ts sets no datasource.url`);

  const pgSchema = assertSafeIdentifier('schema', schemaOf(configUrl));
  const baseUrl = selector.databaseUrl ?? process.env['DATABASE_URL'] ?? LOCAL_DATABASE_URL;
  const migrationsDir = config.migrations?.path ?? join(appDir, 'prisma', 'migrations');
  return {
    service,
    pgSchema,
    databaseUrl: serviceDatabaseUrl(pgSchema, baseUrl),
    schemaFiles: await readSchemaFiles(config.schema),
    migrationsDir,
    shadowDbInitScript: config.migrations?.initShadowDb ?? '',
    filters: { externalTables: config.tables?.external ?? [], externalEnums: config.enums?.external ?? [] },
    superseded: await readSupersededMigrations(migrationsDir),
  };
}
