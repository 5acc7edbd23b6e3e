import { randomUUID } from 'node:crypto';
import type pg from 'pg';

interface Column {
  table: string;
  name: string;
  type: string;
  /** Filled by the database itself (serial, identity, generated): never given a value. */
  automatic: boolean;
}

interface ForeignKey {
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
}

/** A row as inserted: its table, primary key and every column's value (as `to_jsonb` renders them). */
export interface StoredRow {
  table: string;
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

/** Not filled: the migration histories, and the relay state, whose one row the migration itself inserts. */
const HISTORY_TABLES = ['_prisma_migrations', '_platform_migrations', 'outbox_relay_state'];

/**
 * Inserts one row into every table of a schema, whatever the tables are, from information_schema and
 * pg_catalog: parents before children, foreign keys pointing at the parent rows it inserted, every
 * other column given a distinct value of its type (nullable ones too, so that data can be checked).
 */
export class RowFactory {
  /** Shared by every factory, so rows inserted by successive factories never collide on a unique key. */
  private static sequence = 0;
  private readonly latest = new Map<string, Record<string, unknown>>();
  /** One tenant per fill: rows that reference two parents through (tenant_id, …) keys need parents of one tenant. */
  private tenantId = randomUUID();

  constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
  ) {}

  async fillEveryTable(): Promise<StoredRow[]> {
    this.tenantId = randomUUID();
    const { columns, foreignKeys, primaryKeys } = await this.describe();
    const stored: StoredRow[] = [];
    for (const table of parentsFirst([...primaryKeys.keys()], foreignKeys)) {
      const values = await this.insert(table, columns.filter((column) => column.table === table), foreignKeys.filter((key) => key.table === table));
      this.latest.set(table, values);
      stored.push({ table, key: Object.fromEntries((primaryKeys.get(table) ?? []).map((column) => [column, values[column]])), values });
    }
    return stored;
  }

  private async insert(table: string, columns: Column[], foreignKeys: ForeignKey[]): Promise<Record<string, unknown>> {
    const given = new Map<string, unknown>();
    for (const key of foreignKeys) {
      const parent = this.latest.get(key.referencedTable);
      if (!parent) throw new Error(`${table} references ${key.referencedTable}, which has no row yet`);
      key.columns.forEach((column, index) => given.set(column, parent[key.referencedColumns[index] as string]));
    }
    const filled = columns.filter((column) => !column.automatic);
    const values = filled.map((column) => (given.has(column.name) ? given.get(column.name) : this.valueFor(column)));
    const names = filled.map((column) => this.client.escapeIdentifier(column.name)).join(', ');
    const placeholders = filled.map((column, index) => `$${index + 1}::${column.type}`).join(', ');
    const qualified = `${this.client.escapeIdentifier(this.schema)}.${this.client.escapeIdentifier(table)}`;
    const result = await this.client.query<{ row: Record<string, unknown> }>(
      `INSERT INTO ${qualified} AS t (${names}) VALUES (${placeholders}) RETURNING to_jsonb(t) AS row`,
      values.map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value)),
    );
    return result.rows[0]?.row ?? {};
  }

  private valueFor(column: Column): unknown {
    const n = ++RowFactory.sequence;
    if (column.name === 'tenant_id' && (column.type === 'uuid' || column.type === 'text')) return this.tenantId;
    switch (column.type) {
      case 'uuid':
        return randomUUID();
      case 'text':
      case 'varchar':
      case 'bpchar':
        return `${column.name}-${n}`;
      case 'int2':
      case 'int4':
      case 'int8':
      case 'numeric':
        return n;
      case 'float4':
      case 'float8':
        return n + 0.5;
      case '_text':
        return `{${column.name}-${n}}`;
      case 'bytea':
        return `\\x${Buffer.from(`${column.name}-${n}`).toString('hex')}`;
      case 'bool':
        return n % 2 === 0;
      case 'json':
      case 'jsonb':
        return { [column.name]: n };
      case 'timestamptz':
      case 'timestamp':
        return new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
      default:
        throw new Error(`RowFactory has no value for ${column.table}.${column.name} of type ${column.type}; add one`);
    }
  }

  private async describe(): Promise<{ columns: Column[]; foreignKeys: ForeignKey[]; primaryKeys: Map<string, string[]> }> {
    const columns = await this.client.query<{ table_name: string; column_name: string; udt_name: string; automatic: boolean }>(
      `SELECT c.table_name, c.column_name, c.udt_name,
              (c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS') AS automatic
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' AND NOT (c.table_name = ANY($2))`,
      [this.schema, HISTORY_TABLES],
    );
    const foreignKeys = await this.client.query<{ table: string; columns: string[]; referenced_table: string; referenced_columns: string[] }>(
      `SELECT src.relname AS table, dst.relname AS referenced_table,
              array_agg(a.attname::text ORDER BY k.n) AS columns, array_agg(af.attname::text ORDER BY k.n) AS referenced_columns
         FROM pg_constraint c
         JOIN pg_class src ON src.oid = c.conrelid
         JOIN pg_namespace ns ON ns.oid = src.relnamespace
         JOIN pg_class dst ON dst.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, fattnum, n)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
         JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fattnum
        WHERE c.contype = 'f' AND ns.nspname = $1
        GROUP BY c.oid, src.relname, dst.relname`,
      [this.schema],
    );
    const primaryKeys = await this.client.query<{ table_name: string; columns: string[] }>(
      `SELECT tc.table_name, array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position) AS columns
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name, table_name)
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = $1 AND NOT (tc.table_name = ANY($2))
        GROUP BY tc.table_name`,
      [this.schema, HISTORY_TABLES],
    );
    const tablesWithColumns = new Set(columns.rows.map((row) => row.table_name));
    const withoutKey = [...tablesWithColumns].filter((table) => !primaryKeys.rows.some((row) => row.table_name === table));
    if (withoutKey.length > 0) throw new Error(`Tables without a primary key cannot be checked: ${withoutKey.join(', ')}`);
    return {
      columns: columns.rows.map((row) => ({ table: row.table_name, name: row.column_name, type: row.udt_name, automatic: row.automatic === true })),
      foreignKeys: foreignKeys.rows.map((row) => ({ table: row.table, columns: row.columns, referencedTable: row.referenced_table, referencedColumns: row.referenced_columns })),
      primaryKeys: new Map(primaryKeys.rows.map((row) => [row.table_name, row.columns])),
    };
  }
}

/** Tables ordered so that every table comes after the tables it references (self-references aside). */
function parentsFirst(tables: string[], foreignKeys: ForeignKey[]): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table)) return;
    if (visiting.has(table)) throw new Error(`Foreign keys form a cycle through ${table}`);
    visiting.add(table);
    for (const key of foreignKeys) if (key.table === table && key.referencedTable !== table) visit(key.referencedTable);
    visiting.delete(table);
    ordered.push(table);
  };
  [...tables].sort().forEach(visit);
  return ordered;
}

/**
 * What became of rows inserted earlier: for each, the columns whose value changed (a column renamed
 * in between is followed through `renamed`, `table.old` → `new`; a dropped one is not compared).
 * Returns readable problems; none means every row is still there with its data.
 */
export async function changesSince(client: pg.Client, schema: string, rows: StoredRow[], renamed: Record<string, string> = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const row of rows) {
    const keyColumns = Object.keys(row.key);
    const where = keyColumns.map((column, index) => `to_jsonb(t.${client.escapeIdentifier(column)}) = $${index + 1}::jsonb`).join(' AND ');
    const found = await client.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(row.table)} t WHERE ${where}`,
      keyColumns.map((column) => JSON.stringify(row.key[column])),
    );
    const now = found.rows[0]?.row;
    if (!now) {
      problems.push(`${row.table} ${JSON.stringify(row.key)}: gone`);
      continue;
    }
    for (const [column, before] of Object.entries(row.values)) {
      const current = renamed[`${row.table}.${column}`] ?? column;
      if (!(current in now)) continue;
      if (JSON.stringify(now[current]) !== JSON.stringify(before)) {
        problems.push(`${row.table} ${JSON.stringify(row.key)}: ${current} was ${JSON.stringify(before)}, is ${JSON.stringify(now[current])}`);
      }
    }
  }
  return problems;
}
