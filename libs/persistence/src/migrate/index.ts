// Offline Prisma migrations: Prisma's own schema engine (wasm) over @prisma/adapter-pg, no native engine download.
export { createMigration, deployMigrations, migrationStatus } from './operations';
export type { CreateMigrationOptions, MigrationStatus, ServiceSelector } from './operations';
export { generatePrismaClient, SCHEMA_ENGINE_STUB } from './generate-client';
export { listMigratableServices } from './service-config';
export { migrationChecksum } from './migrations-directory';
export { SHADOW_DATABASE_PREFIX } from './migration-adapter-factory';
export { dropDatabase, ensureDatabase, withConnection } from './postgres-admin';
export { findWorkspaceRoot } from './workspace-root';
