import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { MigrationAdapterFactory } from './migration-adapter-factory';
import type { ServiceMigrationConfig } from './service-config';
import { type SchemaEngine, withSchemaEngine } from './wasm-schema-engine';

/** Set SWITCHBOARD_MIGRATE_DEBUG=1 to see the engine's own log lines on stderr. */
function engineLog(line: string): void {
  if (process.env['SWITCHBOARD_MIGRATE_DEBUG']) process.stderr.write(`[schema-engine] ${line.trimEnd()}\n`);
}

/**
 * The wasm engine rejects with plain objects or strings rather than Errors; turn them into Errors
 * carrying the engine's message (and Prisma error code such as P3006 when there is one).
 */
export function toEngineError(service: string, error: unknown): Error {
  if (error instanceof Error) return new Error(`${service}: ${error.message}`, { cause: error });
  const shaped = error as { message?: unknown; error_code?: unknown; meta?: unknown } | null;
  const code = typeof shaped?.error_code === 'string' ? `${shaped.error_code} ` : '';
  const message = typeof shaped?.message === 'string' ? shaped.message : typeof error === 'string' ? error : JSON.stringify(error);
  return new Error(`${service}: ${code}${message}`, { cause: error });
}

/** Runs `work` with a schema engine connected to the service's database and schema, then closes everything. */
export async function withServiceEngine<T>(config: ServiceMigrationConfig, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const factory = new MigrationAdapterFactory(config.databaseUrl, config.pgSchema);
  try {
    return await withSchemaEngine(
      {
        datamodels: config.schemaFiles.map((file) => [file.path, file.content]),
        adapterFactory: bindMigrationAwareSqlAdapterFactory(factory),
        onLog: engineLog,
      },
      async (engine) => {
        try {
          return await work(engine);
        } catch (error) {
          throw toEngineError(config.service, error);
        }
      },
    );
  } finally {
    await factory.closeAll();
  }
}
