import { Injectable } from '@nestjs/common';
import { EventBridgeTx, PrismaService } from '../database/prisma.service';
import { NewStreamEntry } from './stream-entries';

/** A stored entry as the streams send it: `data` stays JSON text, formatted once for every page that gets it. */
export interface StoredStreamEntry {
  seq: bigint;
  tenantId: string;
  agentId: string;
  type: string;
  dataJson: string;
}

/** Where one agent's stream stands: entries after `afterSeq` are still to be sent. */
export interface StreamCursor {
  tenantId: string;
  agentId: string;
  afterSeq: bigint;
}

interface EntryRow {
  seq: string;
  tenant_id: string;
  agent_id: string;
  type: string;
  data: string;
}

const ENTRY_COLUMNS = 'e.seq::text AS seq, e.tenant_id, e.agent_id, e.type, e.data::text AS data';
const RETENTION_BATCH = 10_000;

/** Keys the per-agent locks: ordinary text, hashed by Postgres into the bigint an advisory lock takes. */
const agentLockKey = (entry: { tenantId: string; agentId: string }) => `agent-stream/${entry.tenantId}/${entry.agentId}`;

/**
 * event_bridge.agent_stream_entry: what agent pages are sent (EB3.1). The `seq` of an entry is its SSE id,
 * so one agent's entries must become visible in `seq` order, or a page resuming after id N could miss an
 * entry below N that committed later. Appends therefore take a per-agent lock until commit (`seq` is drawn
 * after it), and announce their range with a NOTIFY that Postgres delivers after commit, in commit order.
 */
@Injectable()
export class AgentStreamRepository {
  /** The NOTIFY channel of appends: one per service schema, so replicas sharing a database all hear them. */
  readonly channel: string;

  constructor(private readonly database: PrismaService) {
    this.channel = `agent_stream_${database.schema}`;
  }

  async append(tx: EventBridgeTx, entries: NewStreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // Sorted, so two transactions locking overlapping agents cannot deadlock.
    await tx.$executeRawUnsafe(
      `SELECT pg_advisory_xact_lock(key) FROM (SELECT DISTINCT hashtextextended(k, 0) AS key FROM unnest($1::text[]) AS k ORDER BY 1) AS keys`,
      entries.map(agentLockKey),
    );
    await tx.$queryRawUnsafe(
      `WITH appended AS (
         INSERT INTO agent_stream_entry (tenant_id, agent_id, type, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
         RETURNING seq)
       SELECT pg_notify($5, min(seq) || '-' || max(seq)) FROM appended`,
      entries.map((entry) => entry.tenantId),
      entries.map((entry) => entry.agentId),
      entries.map((entry) => entry.type),
      entries.map((entry) => JSON.stringify(entry.data)),
      this.channel,
    );
  }

  /** Every entry with `seq` in [from, to], oldest first: what one announced append added (and whatever else committed there). */
  async inRange(from: bigint, to: bigint): Promise<StoredStreamEntry[]> {
    const rows = await this.database.sql.$queryRawUnsafe<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM agent_stream_entry AS e WHERE e.seq BETWEEN $1 AND $2 ORDER BY e.seq`,
      from.toString(),
      to.toString(),
    );
    return rows.map(toStored);
  }

  /** For each cursor, its agent's entries after it and created since `notBefore`, oldest first (replay, catch-up). */
  async after(cursors: StreamCursor[], notBefore: Date, limit: number): Promise<StoredStreamEntry[]> {
    if (cursors.length === 0) return [];
    const rows = await this.database.sql.$queryRawUnsafe<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS}
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS c(tenant_id, agent_id, after_seq)
         JOIN agent_stream_entry AS e ON e.tenant_id = c.tenant_id AND e.agent_id = c.agent_id AND e.seq > c.after_seq
        WHERE e.created_at >= $4
        ORDER BY e.seq
        LIMIT $5`,
      cursors.map((c) => c.tenantId),
      cursors.map((c) => c.agentId),
      cursors.map((c) => c.afterSeq.toString()),
      notBefore,
      limit,
    );
    return rows.map(toStored);
  }

  /** The agent's newest entry id, 0 when it has none: where a stream that asks for no replay starts. */
  async lastSeqOf(tenantId: string, agentId: string): Promise<bigint> {
    const [row] = await this.database.sql.$queryRawUnsafe<{ seq: string | null }[]>(
      'SELECT max(seq)::text AS seq FROM agent_stream_entry WHERE tenant_id = $1 AND agent_id = $2',
      tenantId,
      agentId,
    );
    return BigInt(row?.seq ?? 0);
  }

  /** The newest entry id of all, 0 when there is none. */
  async lastSeq(): Promise<bigint> {
    const [row] = await this.database.sql.$queryRawUnsafe<{ seq: string | null }[]>('SELECT max(seq)::text AS seq FROM agent_stream_entry');
    return BigInt(row?.seq ?? 0);
  }

  /** Deletes entries created before `cutoff`, in bounded batches; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.database.sql.$executeRawUnsafe(
        `DELETE FROM agent_stream_entry WHERE seq IN (SELECT seq FROM agent_stream_entry WHERE created_at < $1 ORDER BY created_at LIMIT ${RETENTION_BATCH})`,
        cutoff,
      );
      deleted += count;
      if (count < RETENTION_BATCH) return deleted;
    }
  }
}

function toStored(row: EntryRow): StoredStreamEntry {
  return { seq: BigInt(row.seq), tenantId: row.tenant_id, agentId: row.agent_id, type: row.type, dataJson: row.data };
}
