import { Injectable } from '@nestjs/common';
import { suppressedAmongSql, suppressionReasons, type SuppressionRow } from '../consent/opt-outs.repository';
import { PrismaService } from '../database/prisma.service';
import { Tables } from '../database/tables';

const HOUR_MS = 3_600_000;

/**
 * Counts a request in the tenant's current clock hour unless the hour's budget is used up ($1 tenant, $2 the hour,
 * $3 the budget): concurrent requests on any replica meet on the counter row, whose update is atomic. Hours older
 * than the previous one are dropped on the way.
 */
const COUNTING = `
expired AS (
  DELETE FROM ${Tables.invokeRequestCount} WHERE tenant_id = $1 AND window_start < $2::timestamptz - interval '1 hour'
),
counting AS (
  INSERT INTO ${Tables.invokeRequestCount} AS counted (tenant_id, window_start, requests) VALUES ($1, $2, 1)
  ON CONFLICT (tenant_id, window_start) DO UPDATE SET requests = counted.requests + 1 WHERE counted.requests < $3
  RETURNING requests
)`;

const COUNT_REQUEST = `WITH ${COUNTING} SELECT requests FROM counting`;

/**
 * The count and the consent read of an invoke request in one statement (one round trip, not two): whether the
 * request was counted, on every row, beside the suppression rows of its numbers ($4) at its time ($5); one row of
 * nulls but `allowed` when none is suppressed.
 */
const COUNT_REQUEST_AND_READ_SUPPRESSIONS = `
WITH ${COUNTING},
suppressed AS (${suppressedAmongSql('$1', '$4', '$5')})
SELECT EXISTS (SELECT FROM counting) AS allowed, suppressed.*
  FROM (VALUES (1)) AS one (x) LEFT JOIN suppressed ON true`;

export type RequestBudget = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type CountedSuppressionRow = { allowed: boolean } & ({ list: null } | SuppressionRow);

/** OM3.2: the invoke API's requests per organisation (tenant) per hour, shared by every replica through Postgres. */
@Injectable()
export class InvokeRateLimitRepository {
  constructor(private readonly database: PrismaService) {}

  async count(tenantId: string, limit: number, now: Date): Promise<RequestBudget> {
    const windowStart = hourOf(now);
    const rows = await this.database.sql.queryPrepared<{ requests: number }>('outbound_messaging.count_invoke_request', COUNT_REQUEST, [tenantId, windowStart, limit]);
    return budgetOf(rows.length > 0, windowStart, now);
  }

  /**
   * Counts the request as count() does and, in the same statement, reads which of these numbers are suppressed at
   * `now` (both lists, as OptOutsRepository.checkFor): the reason per suppressed number.
   */
  async countAndReadSuppressions(tenantId: string, limit: number, now: Date, numbers: string[]): Promise<{ budget: RequestBudget; suppressed: Map<string, string> }> {
    const windowStart = hourOf(now);
    const rows = await this.database.sql.queryPrepared<CountedSuppressionRow>('outbound_messaging.count_invoke_request_and_read_suppressions', COUNT_REQUEST_AND_READ_SUPPRESSIONS, [
      tenantId,
      windowStart,
      limit,
      numbers,
      now,
    ]);
    const suppressed = suppressionReasons(rows.filter((row): row is { allowed: boolean } & SuppressionRow => row.list !== null));
    return { budget: budgetOf(rows[0]?.allowed === true, windowStart, now), suppressed };
  }
}

function hourOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

function budgetOf(allowed: boolean, windowStart: Date, now: Date): RequestBudget {
  if (allowed) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + HOUR_MS - now.getTime()) / 1_000)) };
}
