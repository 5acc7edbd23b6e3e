import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { pinoHttp } from 'pino-http';
import { currentCorrelation } from '../correlation/correlation-context';
import { correlationOf } from '../correlation/correlation.middleware';

export interface ServiceLoggerOptions {
  name: string;
  level: LevelWithSilent;
  /** Where JSON lines go; stdout when omitted (tests pass a collecting stream). */
  destination?: DestinationStream;
}

// Credentials never reach the logs (P2.4), even when a request is logged with its headers.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

// Probes and scrapes arrive every few seconds; logging each would drown the useful lines.
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** The process's root logger: JSON lines with the service name and, inside work, its correlation id. */
export function createServiceLogger({ name, level, destination }: ServiceLoggerOptions): Logger {
  const options = {
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Any line logged while handling a request or a message carries the chain's correlation id.
    mixin: () => {
      const correlation = currentCorrelation();
      return correlation ? { correlationId: correlation.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** pino-http middleware: one line per finished request, and `req.log` bound to the request id. */
export function createHttpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: (req) => correlationOf(req)?.requestId ?? 'unknown',
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has(pathOf(req)) },
  });
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
