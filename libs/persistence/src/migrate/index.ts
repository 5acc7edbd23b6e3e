// Offline Prisma migrations: Prisma's own schema engine (wasm) over @prisma/adapter-pg, no native engine download.
export { createMigration, deployMigrations } from './operations';
export type { CreateMigrationOptions, DeployResult, ServiceSelector } from './operations';
export { migrationStatus } from './migration-status';
export type { MigrationStatus } from './migration-status';
export { applyPlatformMigrations } from './apply-platform-migrations';
export type { PlatformTarget } from './apply-platform-migrations';
export { PLATFORM_TABLES, platformMigrations } from './platform-migrations';
export { generatePrismaClient, SCHEMA_ENGINE_STUB } from './generate-client';
export { listMigratableServices } from './service-config';
export { migrationChecksum } from './migrations-directory';
export { SHADOW_DATABASE_PREFIX } from './migration-adapter-factory';
export { dropDatabase, ensureDatabase, withConnection } from './postgres-admin';
export { findWorkspaceRoot } from './workspace-root';
