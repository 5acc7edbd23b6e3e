import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { type FastifyBaseLogger, type FastifyError, LogController } from 'fastify';
import type { Logger } from 'pino';
import { byteSize } from '../config/env-schemas';
import { ConfigError } from '../config/load-config';
import type { ServiceConfig } from '../config/service-config';
import { requestIdFor } from '../correlation/correlation.hooks';
import { type ErrorBody, errorCodeForStatus } from '../errors/error-body';

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
    frameworkErrors: answerFrameworkError,
    skipMiddie: true,
  };
}

/** The part of a Fastify reply a router-level answer needs (any server type). */
interface RouterReply {
  code(status: number): RouterReply;
  type(contentType: string): RouterReply;
  send(body: unknown): unknown;
}

/** What the router refuses before any route runs: a path that is not valid percent-encoding, a parameter over maxParamLength. */
const FRAMEWORK_ERRORS: Record<string, { status: number; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, message: 'The request path is not a valid URL (bad percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: 'A path parameter is longer than 1000 characters' },
};

/**
 * Router-level refusals in the platform's error shape (P2.1), like every other answer: without this
 * handler Fastify writes its own `{error, code, message, statusCode}` body, which echoes the whole path.
 */
function answerFrameworkError(error: FastifyError, _request: unknown, anyReply: object): void {
  // Fastify types the reply per server kind (HTTP/1, HTTP/2); the calls used here are the same on each.
  const reply = anyReply as RouterReply;
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  const status = known?.status ?? 400;
  const body: ErrorBody = { error: { code: errorCodeForStatus(status), message: known?.message ?? 'The request could not be routed' } };
  void reply.code(status).type('application/json').send(body);
}

/**
 * Whose X-Forwarded-For to believe: `true`, or the proxies' addresses/CIDRs (comma-separated). A hop count
 * is refused: it cannot tell a proxy from a client, which could then forge its address (Fastify ≥ 5.12
 * trusts nobody for one).
 */
export function trustProxyOf(setting: string | undefined): boolean | string {
  if (setting === undefined || setting === 'false') return false;
  if (setting === 'true') return true;
  if (/^\d+$/.test(setting)) {
    throw new ConfigError([`HTTP_TRUST_PROXY=${setting}: a hop count cannot tell a proxy from a client; name the proxies' addresses or CIDRs (for example 10.0.0.0/8), or true`]);
  }
  return setting;
}
