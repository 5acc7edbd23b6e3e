import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { CharAsTextClient } from './char-as-text-client';
import { createDatabase, dropDatabase, ensureSchema, withDatabase, withoutSchemaParam } from './postgres-admin';

/** Prefix the native engine uses too, so stray shadow databases are recognisable. */
export const SHADOW_DATABASE_PREFIX = 'prisma_migrate_shadow_db_';

/**
 * Delegates to @prisma/adapter-pg, except `executeScript`: adapter-pg splits scripts on every `;`,
 * which breaks `$$` function bodies. A migration file is sent as ONE simple-protocol query instead
 * (an `executeRaw` with no parameters and no statement name), exactly as the native engine does.
 */
class WholeScriptAdapter implements SqlDriverAdapter {
  readonly provider: 'postgres';
  readonly adapterName: string;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly onDispose: () => Promise<void>,
  ) {
    this.provider = 'postgres';
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  async executeScript(script: string): Promise<void> {
    await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {
    await this.onDispose();
  }
}

/**
 * The adapter factory handed to the wasm schema engine for one service schema.
 *
 * Every connection gets `search_path=<schema>` so unqualified DDL in migration files lands in the
 * service's schema (what the native engine does with `?schema=`). The shadow database is built
 * here: PrismaPg's own `connectToShadowDb()` creates a temporary database but then connects to
 * the MAIN one (its connection string wins over the database field), so the engine would reset
 * real data. Adapters the engine does not dispose are closed by `closeAll()`.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  private readonly open = new Set<SqlDriverAdapter>();

  /** @param databaseUrl the service database (any `?schema=` is ignored); @param schema its Postgres schema. */
  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.openAdapter(this.databaseUrl, async () => undefined);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadowDatabase = `${SHADOW_DATABASE_PREFIX}${randomUUID().replaceAll('-', '_')}`;
    await createDatabase(this.databaseUrl, shadowDatabase);
    try {
      const shadowUrl = withDatabase(this.databaseUrl, shadowDatabase);
      await ensureSchema(shadowUrl, this.schema);
      return await this.openAdapter(shadowUrl, () => dropDatabase(this.databaseUrl, shadowDatabase));
    } catch (error) {
      await dropDatabase(this.databaseUrl, shadowDatabase);
      throw error;
    }
  }

  async closeAll(): Promise<void> {
    const leftovers = [...this.open];
    const results = await Promise.allSettled(leftovers.map((adapter) => adapter.dispose()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async openAdapter(url: string, afterClose: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({
      connectionString: withoutSchemaParam(url),
      options: `-c search_path=${this.schema}`,
      Client: CharAsTextClient,
      allowExitOnIdle: true,
    });
    const inner = await new PrismaPg(pool, { schema: this.schema, disposeExternalPool: true }).connect();
    let disposed = false;
    const adapter = new WholeScriptAdapter(inner, async () => {
      if (disposed) return;
      disposed = true;
      this.open.delete(adapter);
      try {
        await inner.dispose();
      } finally {
        await afterClose();
      }
    });
    this.open.add(adapter);
    return adapter;
  }
}
