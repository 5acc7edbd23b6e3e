import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  baseServiceEnv,
  ConfigError,
  loadConfig,
} from '@switchboard/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthConfigError,
  authOptionsFromConfig,
  parsePublicKeys,
} from './auth-config';
import { DEV_ISSUER } from './dev/dev-issuer';
import { mintDevToken } from './dev/mint-dev-token';
import { JwtVerifier } from './jwt/jwt-verifier';
import { Role } from './roles';
import {
  createTestIssuer,
  TENANT_A,
  TEST_AUDIENCE,
  type TestIssuer,
} from './test-support/test-issuer';

let base: string;
let idp: TestIssuer;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sb-auth-config-'));
  idp = await createTestIssuer();
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** The AUTH_* settings as a service's configuration loads them from `env`. */
function settings(env: Record<string, string>) {
  return loadConfig(baseServiceEnv, {
    env: { PORT: '0', KAFKA_BROKERS: '127.0.0.1:9', ...env },
  });
}

const optionsFromEnv = (env: Record<string, string>) =>
  authOptionsFromConfig(settings(env));

async function configError(
  env: Record<string, string>,
): Promise<AuthConfigError> {
  const error = await optionsFromEnv(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthConfigError);
  expect(error).toBeInstanceOf(ConfigError);
  return error as AuthConfigError;
}

afterEach(() => vi.restoreAllMocks());

describe('auth configuration from the environment (P1.2, P1.5, P4.2)', () => {
  it('P4.2 names every wrong variable: the values in the service configuration, once', () => {
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    expect(() =>
      settings({
        AUTH_ISSUERS: 'https://idp.example/',
        AUTH_ALLOWED_TENANTS: 'contoso',
        AUTH_CLOCK_TOLERANCE_SEC: 'soon',
        AUTH_DEV_ISSUER_ENABLED: 'yes',
      }),
    ).toThrow(ConfigError);
    expect(printed).toEqual([
      'config: AUTH_ALLOWED_TENANTS must be a comma-separated list of tenant GUIDs, got "contoso"\n',
      'config: AUTH_CLOCK_TOLERANCE_SEC must be an integer 0-600, got "soon"\n',
      'config: AUTH_DEV_ISSUER_ENABLED must be true, false, 1 or 0, got "yes"\n',
    ]);
  });

  it('P4.2 names every setting that does not fit the others', async () => {
    const error = await configError({});
    expect(error.problems).toEqual([
      expect.stringMatching(/^AUTH_ISSUERS: .*AUTH_DEV_ISSUER_ENABLED/),
    ]);

    const several = await configError({
      AUTH_ISSUERS: 'https://idp.example/',
      AUTH_PUBLIC_KEYS: 'not a key',
    });
    expect(several.problems).toEqual([
      'AUTH_PUBLIC_KEYS: expected a JWKS JSON document or PEM public keys',
    ]);

    const noKeys = await configError({ AUTH_ISSUERS: 'https://idp.example/' });
    expect(noKeys.problems).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL: AUTH_ISSUERS needs/),
    ]);
  });

  it('P4.2 empty variables count as unset (defaults apply)', async () => {
    await expect(
      optionsFromEnv({
        AUTH_DEV_ISSUER_ENABLED: 'true',
        AUTH_DEV_KEYS_DIR: join(base, 'blank'),
        AUTH_JWKS_URL: '',
        AUTH_CLOCK_TOLERANCE_SEC: ' ',
        AUTH_AUDIENCE: '',
      }),
    ).resolves.toMatchObject({
      clockToleranceSec: 60,
      audience: 'api://switchboard',
      issuers: [],
    });
  });

  it('P1.5 the dev issuer cannot be smuggled in through AUTH_ISSUERS', async () => {
    const error = await configError({
      AUTH_ISSUERS: DEV_ISSUER,
      AUTH_JWKS_URL: 'https://idp.example/keys',
    });
    expect(error.message).toMatch(/AUTH_DEV_ISSUER_ENABLED=true/);
  });

  it('P1.2 reads issuers, audience, JWKS URL, allowed tenants and tolerance', async () => {
    await expect(
      optionsFromEnv({
        AUTH_ISSUERS:
          'https://login.microsoftonline.com/{tenantid}/v2.0, https://sts.windows.net/{tenantid}/',
        AUTH_AUDIENCE: 'api://contoso-switchboard',
        AUTH_JWKS_URL:
          'https://login.microsoftonline.com/common/discovery/v2.0/keys',
        AUTH_ALLOWED_TENANTS: TENANT_A,
        AUTH_CLOCK_TOLERANCE_SEC: '30',
      }),
    ).resolves.toEqual({
      issuers: [
        'https://login.microsoftonline.com/{tenantid}/v2.0',
        'https://sts.windows.net/{tenantid}/',
      ],
      audience: 'api://contoso-switchboard',
      jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      allowedTenantIds: [TENANT_A],
      clockToleranceSec: 30,
      devIssuer: undefined,
      cacheSize: 10_000,
    });
  });

  it('P1.2 AUTH_PUBLIC_KEYS takes PEM blocks (also with literal \\n) or a JWKS document', async () => {
    const escaped = idp.publicKeyPem.trim().replace(/\n/g, '\\n');
    const fromPem = await optionsFromEnv({
      AUTH_ISSUERS: idp.issuer,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      AUTH_PUBLIC_KEYS: escaped,
    });
    await expect(
      new JwtVerifier(fromPem).verify(await idp.sign()),
    ).resolves.toMatchObject({ tenantId: TENANT_A });

    const jwks = JSON.stringify({ keys: [idp.publicJwk] });
    const fromJwks = await optionsFromEnv({
      AUTH_ISSUERS: idp.issuer,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      AUTH_PUBLIC_KEYS: jwks,
    });
    await expect(
      new JwtVerifier(fromJwks).verify(await idp.sign()),
    ).resolves.toMatchObject({ tenantId: TENANT_A });

    expect(() => parsePublicKeys('not a key')).toThrow(
      /JWKS JSON document or PEM/,
    );
    expect(() => parsePublicKeys('{"keys":[]}')).toThrow(/keys/);
  });

  it('P1.5 dev tokens are refused unless AUTH_DEV_ISSUER_ENABLED=true', async () => {
    const keysDir = join(base, 'dev-jwt');
    const token = await mintDevToken({
      tenantId: TENANT_A,
      roles: [Role.OmnichannelAgent],
      keysDir,
    });

    const disabled = await optionsFromEnv({
      AUTH_ISSUERS: idp.issuer,
      AUTH_PUBLIC_KEYS: idp.publicKeyPem,
      AUTH_DEV_KEYS_DIR: keysDir,
    });
    expect(disabled.devIssuer).toBeUndefined();
    await expect(new JwtVerifier(disabled).verify(token)).rejects.toMatchObject(
      { reason: 'untrusted_issuer' },
    );

    const enabled = await optionsFromEnv({
      AUTH_DEV_ISSUER_ENABLED: 'true',
      AUTH_DEV_KEYS_DIR: keysDir,
    });
    expect(enabled.devIssuer?.issuer).toBe(DEV_ISSUER);
    await expect(new JwtVerifier(enabled).verify(token)).resolves.toMatchObject(
      { tenantId: TENANT_A, roles: ['OmnichannelAgent'] },
    );
  });
});
