import type { IncomingMessage } from 'node:http';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, collectDefaultMetrics, register } from 'prom-client';
import type { Observable } from 'rxjs';

export const HTTP_REQUEST_DURATION_METRIC = 'http_request_duration_seconds';

type HttpLabel = 'method' | 'route' | 'status';

// prom-client's default registry is process-wide, so other libraries' metrics appear at /metrics
// too. Metrics are created once even when several apps boot in one process (tests).
function httpRequestDuration(): Histogram<HttpLabel> {
  const existing = register.getSingleMetric(HTTP_REQUEST_DURATION_METRIC);
  if (existing) return existing as Histogram<HttpLabel>;
  return new Histogram<HttpLabel>({
    name: HTTP_REQUEST_DURATION_METRIC,
    help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
  });
}

/** Process and Node.js runtime metrics (CPU, memory, event loop lag, GC). */
export function enableDefaultMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

/** Times every request; labels use the route pattern (`/items/:id`), never the raw URL. */
export function httpMetricsMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
  const histogram = httpRequestDuration();
  return (req, res, next) => {
    const stopTimer = histogram.startTimer();
    res.once('close', () => stopTimer({ method: req.method, route: routeLabelOf(req, res), status: String(res.statusCode) }));
    next();
  };
}

const handlerRoutes = new WeakMap<IncomingMessage, string>();

/**
 * Records which controller route handled a request. Express leaves `req.route` pointing at the
 * last matched route, which for an unknown URL is a catch-all middleware route, so a 404 is only
 * attributed to a route when a handler actually ran.
 */
@Injectable()
export class HttpRouteInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const pattern = routePatternOf(req);
      if (pattern) handlerRoutes.set(req, pattern);
    }
    return next.handle();
  }
}

// Unmatched URLs share one label so scanners cannot blow up the series count.
function routeLabelOf(req: Request, res: Response): string {
  const fromHandler = handlerRoutes.get(req);
  if (fromHandler) return fromHandler;
  return (res.statusCode !== 404 && routePatternOf(req)) || 'unmatched';
}

function routePatternOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
}
