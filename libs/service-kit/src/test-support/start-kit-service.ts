import type { AddressInfo } from 'node:net';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type BootstrapServiceOptions, bootstrapService } from '../bootstrap/bootstrap-service';
import { type BaseServiceEnv, baseServiceEnv } from '../config/base-service-env';
import { loadConfig } from '../config/load-config';

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface StartedKitService {
  app: NestExpressApplication;
  baseUrl: string;
  /** Every JSON line the service logged, parsed. */
  logs: LogLine[];
}

/** Boots `module` through the real bootstrapService on a free loopback port, logging into memory. */
export async function startKitService(
  module: Type<unknown> | DynamicModule,
  config: Partial<BaseServiceEnv> = {},
  options: Partial<BootstrapServiceOptions<BaseServiceEnv>> = {},
): Promise<StartedKitService> {
  const logs: LogLine[] = [];
  const app = await bootstrapService({
    name: 'kit-test',
    module,
    config: {
      ...loadConfig(baseServiceEnv, { PORT: '1', KAFKA_BROKERS: '127.0.0.1:9', LOG_LEVEL: 'info' }),
      PORT: 0,
      HOST: '127.0.0.1',
      ...config,
    },
    openApi: { title: 'Kit test', description: 'Service kit test app', version: '1.2.3' },
    logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    shutdownSignals: [],
    exitAfterShutdown: false,
    ...options,
  });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, logs };
}
