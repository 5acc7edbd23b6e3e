/**
 * The service kit: what every Switchboard service's main.ts is made of.
 *
 *   export class CrmSyncConfig extends serviceConfigClass(baseServiceEnv) {}   // config.ts
 *
 *   void bootstrapService({                                                     // main.ts
 *     name: manifest.name,
 *     module: AppModule,
 *     config: CrmSyncConfig.loadOrExit({ defaults: { PORT: manifest.port } }),
 *     openApi: { title: manifest.title, description: manifest.description, version: '1.0' },
 *   });
 */

// Configuration (P4.2)
export * from './config/env-schemas';
export * from './config/base-service-env';
export * from './config/load-config';
export * from './config/service-config';

// Bootstrap and shared module
export * from './bootstrap/bootstrap-service';
export * from './bootstrap/service-kit.module';

// Request and correlation ids
export * from './correlation/correlation-context';
export { correlationOf } from './correlation/correlation.hooks';

// HTTP platform: bodies, limits, public routes (P2.1, P2.3)
export { Public, IS_PUBLIC_KEY } from './http/public-route';
export { type RequestWithRawBody, parseJsonBody } from './http/json-body';
export { AcceptsBodies, type AcceptedBodies, StreamedBody, JSON_ONLY } from './http/other-bodies';
export { BodyTooLarge } from './http/read-body';
export * from './rate-limit/rate-limits';
export * from './rate-limit/too-many-requests';

// Errors and validation (P2.1, P2.2)
export * from './errors/error-body';
export * from './errors/validation-failed';
export * from './errors/fields-refused';
export * from './errors/api-exception.filter';
export { describeJsonSyntaxError } from './http/json-syntax-error';
export { findUnsafeJsonContent } from './http/json-guard';

// Health, metrics, docs, shutdown (P4.1, P4.3)
export * from './health/readiness-registry';
export * from './health/health.module';
export { HealthController } from './health/health.controller';
export * from './metrics/metrics.module';
export { MetricsController } from './metrics/metrics.controller';
export { MetricsServer } from './metrics/metrics-server';
export { HTTP_REQUEST_DURATION_METRIC } from './metrics/http-metrics';
export * from './openapi/openapi';
export * from './lifecycle/service-lifecycle';
export * from './lifecycle/service-shutdown';
export { createServiceLogger } from './logging/service-logger';

// Read-mostly rows on hot paths
export * from './cache/read-through-cache';
