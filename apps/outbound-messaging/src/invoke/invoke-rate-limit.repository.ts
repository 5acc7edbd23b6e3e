import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Tables } from '../database/tables';

const HOUR_MS = 3_600_000;

/**
 * Counts a request in the tenant's current clock hour unless the hour's budget is used up, in one
 * statement: concurrent requests on any replica meet on the counter row, whose update is atomic.
 * Hours older than the previous one are dropped on the way.
 */
const COUNT_REQUEST = `
WITH expired AS (
  DELETE FROM ${Tables.invokeRequestCount} WHERE tenant_id = $1 AND window_start < $2::timestamptz - interval '1 hour'
)
INSERT INTO ${Tables.invokeRequestCount} AS counted (tenant_id, window_start, requests) VALUES ($1, $2, 1)
ON CONFLICT (tenant_id, window_start) DO UPDATE SET requests = counted.requests + 1 WHERE counted.requests < $3
RETURNING requests`;

export type RequestBudget = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** OM3.2: the invoke API's requests per organisation (tenant) per hour, shared by every replica through Postgres. */
@Injectable()
export class InvokeRateLimitRepository {
  constructor(private readonly database: PrismaService) {}

  async count(tenantId: string, limit: number, now: Date): Promise<RequestBudget> {
    const windowStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const rows = await this.database.sql.queryPrepared<{ requests: number }>('outbound_messaging.count_invoke_request', COUNT_REQUEST, [tenantId, windowStart, limit]);
    if (rows.length > 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + HOUR_MS - now.getTime()) / 1_000)) };
  }
}
