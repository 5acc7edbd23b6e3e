import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import { byteSize } from '../config/env-schemas';
import { ConfigError } from '../config/load-config';
import type { ServiceConfig } from '../config/service-config';
import { requestIdFor } from '../correlation/correlation.hooks';

type FastifyAdapterOptions = NonNullable<ConstructorParameters<typeof FastifyAdapter>[0]>;

// How often Node looks for connections past their headers or request timeout (its default is 30 s,
// which is how long byte-by-byte header senders were held before).
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * The Fastify server a service runs: the root pino logger (no per-request child loggers; the
 * platform logs each request once), request ids from X-Request-Id, explicit timeouts for slow
 * clients, and no Nest middleware layer (`skipMiddie`: the platform uses Fastify hooks).
 */
export function fastifyOptionsFor(config: ServiceConfig, logger: Logger): FastifyAdapterOptions {
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['HTTP_HEADERS_TIMEOUT_MS must not be larger than HTTP_REQUEST_TIMEOUT_MS']);
  }
  return {
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent: FastifyBaseLogger) => parent,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: byteSize(config.HTTP_BODY_LIMIT),
    trustProxy: trustProxyOf(config.HTTP_TRUST_PROXY),
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, config.HTTP_HEADERS_TIMEOUT_MS),
    },
    // Long enough that an overlong id reaches its route's validation (a 400 naming it), not a 404.
    routerOptions: { maxParamLength: 1_000 },
    skipMiddie: true,
  };
}

function trustProxyOf(setting: string | undefined): boolean | number | string {
  if (setting === undefined || setting === 'false') return false;
  if (setting === 'true') return true;
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}
