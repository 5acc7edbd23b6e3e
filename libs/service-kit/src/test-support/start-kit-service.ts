import type { AddressInfo } from 'node:net';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll } from 'vitest';
import { type BootstrapServiceOptions, bootstrapService } from '../bootstrap/bootstrap-service';
import { type BaseServiceEnv, baseServiceEnv } from '../config/base-service-env';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface StartedKitService {
  app: NestFastifyApplication;
  baseUrl: string;
  /** Every JSON line the service logged, parsed. */
  logs: LogLine[];
}

/** The base configuration of a kit test: a free loopback port, no real Kafka, `overrides` on top. */
export function kitTestConfig(overrides: Partial<BaseServiceEnv> = {}): ServiceConfig {
  return new ServiceConfig({
    ...loadConfig(baseServiceEnv, { env: { PORT: '0', HOST: '127.0.0.1', KAFKA_BROKERS: '127.0.0.1:9', LOG_LEVEL: 'info' } }),
    ...overrides,
  });
}

/** Boots `module` through the real bootstrapService on a free loopback port, logging into memory. */
export async function startKitService(
  module: Type<unknown> | DynamicModule,
  config: Partial<BaseServiceEnv> = {},
  options: Partial<BootstrapServiceOptions> = {},
): Promise<StartedKitService> {
  const logs: LogLine[] = [];
  const app = await bootstrapService({
    name: 'kit-test',
    module,
    config: kitTestConfig(config),
    openApi: { title: 'Kit test', description: 'Service kit test app', version: '1.2.3' },
    logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    shutdownSignals: [],
    exitProcess: false,
    ...options,
  });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, logs };
}

/**
 * Starts `module` before the enclosing describe's tests and closes it after them. The returned
 * object reads the running service (use it inside tests and hooks, not at collection time).
 */
export function useKitService(
  module: Type<unknown> | DynamicModule,
  config: Partial<BaseServiceEnv> = {},
  options: Partial<BootstrapServiceOptions> = {},
): StartedKitService {
  let started: StartedKitService | undefined;
  beforeAll(async () => {
    started = await startKitService(module, config, options);
  });
  afterAll(async () => {
    await started?.app.close();
  });
  const running = (): StartedKitService => {
    if (!started) throw new Error('the kit service starts in beforeAll; read it inside tests');
    return started;
  };
  return {
    get app() {
      return running().app;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    get logs() {
      return running().logs;
    },
  };
}
