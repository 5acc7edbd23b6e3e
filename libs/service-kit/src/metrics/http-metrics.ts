import type { FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, collectDefaultMetrics, register } from 'prom-client';

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

/**
 * Records every finished request (Fastify onResponse). The route label is the route pattern
 * (`/items/:id`), never the raw URL; unmatched URLs share one label so scanners cannot blow up the
 * series count.
 */
export function httpMetricsRecorder(): (request: FastifyRequest, reply: FastifyReply) => void {
  const histogram = httpRequestDuration();
  return (request, reply) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    histogram.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  };
}
