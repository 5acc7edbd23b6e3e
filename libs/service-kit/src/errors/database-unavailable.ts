/**
 * Whether a failure means the database cannot be reached right now (a restart, a failover, an exhausted pool)
 * rather than a bug: the request may succeed when retried, so it is answered 503 with Retry-After, not 500.
 * Recognised: Prisma's connection errors (with @prisma/adapter-pg the cause sits in
 * `meta.driverAdapterError.cause.kind`), Postgres' SQLSTATEs for shutdown and lost connections, and
 * node-postgres' "connection terminated" errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causesOf(error).some(isUnavailableCause);
}

/** P1001 can't reach, P1002 timed out, P1017 server closed the connection, P2024 no pool connection in time. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** admin/crash shutdown, cannot connect now, connection exceptions, too many connections. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const PG_CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error|terminating connection due to administrator command)/;

function isUnavailableCause(cause: Record<string, unknown>): boolean {
  const { code, kind, message, name } = cause;
  if (typeof name === 'string' && name.startsWith('PrismaClient') && typeof code === 'string' && PRISMA_CODES.has(code)) return true;
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  if (kind === 'postgres' && typeof cause['code'] === 'string' && SQLSTATES.has(cause['code'])) return true;
  // node-postgres' DatabaseError carries the server's SQLSTATE and a severity.
  if (typeof cause['severity'] === 'string' && typeof code === 'string' && SQLSTATES.has(code)) return true;
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}

/** The error and what it wraps (cause, Prisma's driver adapter error), a few levels deep. */
function causesOf(error: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let next: unknown[] = [error];
  for (let depth = 0; depth < 4 && next.length > 0; depth++) {
    const objects = next.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
    found.push(...objects);
    next = objects.flatMap((value) => {
      const meta = value['meta'] as Record<string, unknown> | undefined;
      return [value['cause'], meta?.['driverAdapterError']];
    });
  }
  return found;
}
