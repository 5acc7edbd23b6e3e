import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';

/** Shaped as Prisma 7.10 with @prisma/adapter-pg 7.10 throws them (captured against a closed port, 2026-12-03). */
function prismaError(code: string, cause: Record<string, unknown>): Error {
  return Object.assign(new Error(`Invalid invocation (${code})`), { name: 'PrismaClientKnownRequestError', code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });
}

describe('isDatabaseUnavailable: a database that cannot be reached now answers 503, not 500', () => {
  it.each([
    ['Prisma P1001, the database not reachable (a query)', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 })],
    ['Prisma P2010 around an unreachable database (a raw query)', prismaError('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 })],
    ['Prisma P2010 around a connection the server closed', prismaError('P2010', { kind: 'ConnectionClosed' })],
    ['Prisma P2024, no pool connection in time', Object.assign(new Error('Timed out fetching a new connection'), { name: 'PrismaClientKnownRequestError', code: 'P2024' })],
    ['Postgres shutting down (57P01) through the adapter', prismaError('P2010', { kind: 'postgres', code: '57P01', message: 'terminating connection due to administrator command' })],
    ['node-postgres DatabaseError 57P03 (starting up)', Object.assign(new Error('the database system is starting up'), { severity: 'FATAL', code: '57P03' })],
    ['node-postgres lost connection', new Error('Connection terminated unexpectedly')],
    ['wrapped as a cause', new Error('recording outcomes failed', { cause: new Error('Connection terminated unexpectedly') })],
  ])('%s → unavailable', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', prismaError('P2002', { kind: 'UniqueConstraintViolation' })],
    ['a syntax error from Postgres', Object.assign(new Error('syntax error at or near "SELEC"'), { severity: 'ERROR', code: '42601' })],
    ['an outbound HTTP call refused', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.8:443'), { code: 'ECONNREFUSED' }) })],
    ['a plain bug', new Error('Cannot read properties of undefined')],
    ['not an error at all', 'oops'],
  ])('%s → a bug (500)', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
