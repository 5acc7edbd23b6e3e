import {
  Controller,
  Get,
  Injectable,
  Param,
  Req,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtVerifier } from '../jwt/jwt-verifier';
import type { Principal } from '../principal';
import { Role } from '../roles';
import {
  createTestIssuer,
  TENANT_A,
  TENANT_B,
  TEST_AUDIENCE,
  type TestIssuer,
} from '../test-support/test-issuer';
import { AuthGuard } from './auth.guard';
import { AuthModule } from './auth.module';
import { CurrentPrincipal, Public, Roles, TenantId } from './decorators';
import { tenantIdOf } from './request-principal';
import { RolesGuard } from './roles.guard';

/** Stands for a service that reads the tenant from the request it is handed, with no REQUEST scope. */
@Injectable()
class TenantEcho {
  describe(request: object) {
    return { servedTenant: tenantIdOf(request) };
  }
}

@Controller()
class ProbeController {
  constructor(private readonly echo: TenantEcho) {}

  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal, @TenantId() tenantId: string) {
    return { principal, tenantId };
  }

  @Roles(Role.Administrator)
  @Get('admin/templates')
  templates(@Req() request: object) {
    return this.echo.describe(request);
  }

  @Roles(Role.OmnichannelAgent, Role.OmnichannelSupervisor)
  @Get('tenants/:tenantId/deliveries')
  deliveries(@Param('tenantId') tenantId: string) {
    return { tenantId };
  }
}

@Controller('opt-in')
@UseGuards(AuthGuard, RolesGuard)
class OptInController {
  @Roles(Role.Administrator)
  @Get()
  get(@TenantId() tenantId: string) {
    return { tenantId };
  }
}

let idp: TestIssuer;

async function startApp(
  moduleImports: unknown[],
  controllers: unknown[],
): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: moduleImports as never[],
    controllers: controllers as never[],
    providers: [TenantEcho],
  }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function get(url: string, token?: string) {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('AuthModule with global guards over real HTTP (P1.2, P1.3)', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    idp = await createTestIssuer();
    ({ app, url: base } = await startApp(
      [
        AuthModule.forRoot({
          verifier: {
            issuers: [idp.issuer],
            audience: TEST_AUDIENCE,
            publicKeys: [idp.publicJwk],
          },
        }),
      ],
      [ProbeController],
    ));
  });
  afterAll(() => app?.close());

  it('P4.1 @Public routes answer without a token', async () => {
    expect(await get(`${base}/health/live`)).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('P1.3 missing token → 401 {error:{code,message}} with a Bearer challenge', async () => {
    const answer = await get(`${base}/me`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: { code: 'MissingToken', message: expect.any(String) },
    });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="switchboard"',
    );
  });

  it('P1.2 invalid token → 401 InvalidToken naming the reason', async () => {
    const expired = await idp.sign({
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const answer = await get(`${base}/me`, expired);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: { code: 'InvalidToken', message: 'The token has expired.' },
    });
    expect(answer.headers.get('www-authenticate')).toMatch(
      /error="invalid_token"/,
    );
  });

  it('P1.2 a forged token whose iss holds CR/LF or a character above U+00FF → 401 with a valid challenge, never 500', async () => {
    const forger = await createTestIssuer();
    for (const iss of [
      'https://evil.example/\r\nSet-Cookie: stolen=1',
      'https://ēvil.example/\u2028',
    ]) {
      const answer = await get(`${base}/me`, await forger.sign({ iss }));
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: {
          code: 'InvalidToken',
          message: 'The token issuer is not trusted.',
        },
      });
      expect(answer.headers.get('www-authenticate')).toBe(
        'Bearer realm="switchboard", error="invalid_token", error_description="The token issuer is not trusted."',
      );
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
  });

  it('P1.2 a token that does not even decode → 401 whose challenge quotes nothing of it', async () => {
    const payload = Buffer.from('{"iss":"\r\n\u0100').toString('base64url');
    const answer = await get(`${base}/me`, `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="switchboard", error="invalid_token", error_description="The token is malformed."',
    );
  });

  it('P1.2 valid token → 200, principal and tenant injected', async () => {
    const answer = await get(
      `${base}/me`,
      await idp.sign({ sub: 'agent-7', roles: [Role.OmnichannelAgent] }),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: {
        principal: {
          tenantId: TENANT_A,
          subject: 'agent-7',
          roles: [Role.OmnichannelAgent],
        },
        tenantId: TENANT_A,
      },
    });
  });

  it('P1.3 wrong role → 403 Forbidden; the right role → 200 and services read the tenant off the request', async () => {
    const agent = await get(
      `${base}/admin/templates`,
      await idp.sign({ roles: [Role.OmnichannelAgent] }),
    );
    expect(agent.status).toBe(403);
    expect(agent.body).toEqual({
      error: {
        code: 'Forbidden',
        message: expect.stringContaining('Administrator'),
      },
    });

    const admin = await get(
      `${base}/admin/templates`,
      await idp.sign({ roles: [Role.Administrator], tid: TENANT_B }),
    );
    expect(admin).toMatchObject({
      status: 200,
      body: { servedTenant: TENANT_B },
    });
  });

  it('P1.3 authentication runs before the role check: no token on a @Roles route → 401, not 403', async () => {
    expect((await get(`${base}/admin/templates`)).status).toBe(401);
  });

  it('P1.1 a route addressing another tenant → 403; its own tenant → 200', async () => {
    const token = await idp.sign({
      roles: [Role.OmnichannelSupervisor],
      tid: TENANT_A,
    });
    expect(
      (await get(`${base}/tenants/${TENANT_B}/deliveries`, token)).status,
    ).toBe(403);
    expect(
      await get(`${base}/tenants/${TENANT_A.toUpperCase()}/deliveries`, token),
    ).toMatchObject({ status: 200 });
  });
});

describe('AuthModule.forRootAsync without global guards (@UseGuards opt-in)', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const verifier = new JwtVerifier({
      issuers: [idp.issuer],
      audience: TEST_AUDIENCE,
      publicKeys: [idp.publicKeyPem],
    });
    ({ app, url: base } = await startApp(
      [
        AuthModule.forRootAsync({
          useFactory: async () => ({ verifier }),
          globalGuards: false,
        }),
      ],
      [ProbeController, OptInController],
    ));
  });
  afterAll(() => app?.close());

  it('P1.3 guarded controller: 401 / 403 / 200', async () => {
    expect((await get(`${base}/opt-in`)).status).toBe(401);
    expect(
      (
        await get(
          `${base}/opt-in`,
          await idp.sign({ roles: [Role.OmnichannelAgent] }),
        )
      ).status,
    ).toBe(403);
    expect(
      await get(
        `${base}/opt-in`,
        await idp.sign({ roles: [Role.Administrator] }),
      ),
    ).toMatchObject({
      status: 200,
      body: { tenantId: TENANT_A },
    });
  });

  it('P1.3 without global guards only @UseGuards routes authenticate; @CurrentPrincipal elsewhere answers 401', async () => {
    // @CurrentPrincipal on an unauthenticated route answers 401 instead of handing out undefined.
    expect((await get(`${base}/me`)).status).toBe(401);
    expect((await get(`${base}/health/live`)).status).toBe(200);
  });
});
