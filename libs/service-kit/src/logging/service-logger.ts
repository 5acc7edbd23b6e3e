import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import { currentCorrelation } from '../correlation/correlation-context';
import { correlationOf } from '../correlation/correlation.hooks';
import { loggableUrl } from './loggable-url';

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
  'req.headers["x-switchboard-signature"]',
  'res.headers["set-cookie"]',
];

// Probes and scrapes arrive every few seconds; logging each would drown the useful lines.
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The process's root logger: JSON lines with the service name and, inside work for a request or a
 * message, its request id (`reqId`) and correlation id.
 */
export function createServiceLogger({ name, level, destination }: ServiceLoggerOptions): Logger {
  const options = {
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const correlation = currentCorrelation();
      return correlation ? { reqId: correlation.requestId, correlationId: correlation.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** One line per finished request (Fastify onResponse): status decides the level (5xx error, 4xx warn). */
export function requestCompletionLogger(logger: Logger): (request: FastifyRequest, reply: FastifyReply) => void {
  return (request, reply) => {
    const status = reply.statusCode;
    const level: Level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level) || QUIET_PATHS.has(pathOf(request.url))) return;
    logger[level](
      {
        reqId: request.id,
        correlationId: correlationOf(request)?.correlationId,
        req: { method: request.method, url: loggableUrl(request.url), headers: request.headers, remoteAddress: request.ip },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
