// Test support for services: a service app in the test process (imported by specs as @switchboard/platform/in-process).
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type DevKeys, mintDevToken, type Role } from '@switchboard/auth';
import { startServiceApp } from './start-service';
import type { ServiceConfig } from '@switchboard/service-kit';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

/** A service's NestJS app started in the test process: quiet logs, no signal handlers, no process exit. */
export async function startInProcessService(name: string, module: Type<unknown>, config: ServiceConfig): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await startServiceApp({
    name,
    module,
    config,
    openApi: { title: 'test', description: 'test', version: '1' },
    // SB_TEST_LOGS=1 shows the app's JSON log while debugging a test.
    logDestination: process.env['SB_TEST_LOGS'] ? process.stderr : new Writable({ write: (_chunk, _encoding, done) => done() }),
    shutdownSignals: [],
    exitProcess: false,
  });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** fetch against a test app with a development bearer token for the tenant and roles (JSON content type by default). */
export function devTokenFetch(url: string, keys: DevKeys) {
  return async (path: string, { tenantId, roles, headers, ...init }: RequestInit & { tenantId: string; roles: Role[] }): Promise<Response> => {
    const authorization = `Bearer ${await mintDevToken({ tenantId, roles, keys })}`;
    return fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization, ...headers } });
  };
}

/** The environment of a service started in a test: a free port on loopback, its own consumer group, dev tokens from `keysDir`. */
export function inProcessServiceEnv(service: string, settings: { databaseUrl: string; kafkaBrokers: readonly string[]; keysDir: string }): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: settings.databaseUrl,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    KAFKA_CONSUMER_GROUP: `${service}.test-${randomUUID().slice(0, 8)}`,
    AUTH_DEV_ISSUER_ENABLED: 'true',
    AUTH_DEV_KEYS_DIR: settings.keysDir,
    LOG_LEVEL: 'warn',
  };
}
