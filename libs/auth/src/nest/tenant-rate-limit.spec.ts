import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootstrapService, ServiceConfig } from '@switchboard/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, TENANT_A, TENANT_B, TEST_AUDIENCE, type TestIssuer } from '../test-support/test-issuer';
import { AuthModule } from './auth.module';
import { TenantId } from './decorators';

@Controller('mine')
class MineController {
  @Get()
  mine(@TenantId() tenantId: string) {
    return { tenantId };
  }
}

describe('rate limit per tenant, charged once the caller is authenticated (P2.3)', () => {
  let idp: TestIssuer;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    idp = await createTestIssuer();
    @Module({
      imports: [AuthModule.forRoot({ verifier: { issuers: [idp.issuer], audience: TEST_AUDIENCE, publicKeys: [idp.publicJwk] } })],
      controllers: [MineController],
    })
    class TenantAppModule {}
    const config = ServiceConfig.fromEnv({
      env: { PORT: '0', HOST: '127.0.0.1', KAFKA_BROKERS: '127.0.0.1:9', LOG_LEVEL: 'silent', RATE_LIMIT_PER_TENANT: '2/1m' },
    });
    app = await bootstrapService({
      name: 'tenant-limit-test',
      module: TenantAppModule,
      config,
      openApi: { title: 't', description: 't', version: '1' },
      shutdownSignals: [],
      exitProcess: false,
    });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  const get = async (tenantId: string) => fetch(`${base}/mine`, { headers: { authorization: `Bearer ${await idp.sign({ tid: tenantId })}` } });

  it('P2.3 a tenant past its budget gets 429 with Retry-After; another tenant from the same address does not', async () => {
    expect((await get(TENANT_A)).status).toBe(200);
    expect((await get(TENANT_A)).status).toBe(200);

    const refused = await get(TENANT_A);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toEqual({ error: { code: 'TooManyRequests', message: 'Too many requests for this tenant; retry after 30 s' } });

    expect(await (await get(TENANT_B)).json()).toEqual({ tenantId: TENANT_B });
  });
});
