import { Clock } from '@switchboard/clock';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBridgeTestApp, startEventBridgeTestApp } from '../test-support/test-app';

const CACHE_SEC = 60;
const newCall = () => ({ type: 'New_Call', data: { call_id: `call-${randomUUID()}`, agent_id: 7 } });

/**
 * The opened ingress secret is remembered for TENANT_SECRET_CACHE_SEC (no database read and decryption per
 * signed request), forgotten when this replica replaces it, and read again when a remembered one does not
 * match, so a secret replaced through another replica works everywhere at once (P1.4, P2.4).
 */
describe('tenant ingress secrets are remembered briefly (P1.4)', () => {
  let app: EventBridgeTestApp;
  let replica: EventBridgeTestApp;

  beforeAll(async () => {
    app = await startEventBridgeTestApp({ TENANT_SECRET_CACHE_SEC: String(CACHE_SEC) });
    replica = await startEventBridgeTestApp({ TENANT_SECRET_CACHE_SEC: String(CACHE_SEC) }, { replicaOf: app });
  }, 60_000);

  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  afterEach(() => vi.restoreAllMocks());

  const post = (on: EventBridgeTestApp, tenantId: string, secret: string) => on.postSigned('/adapter-events', tenantId, secret, newCall());
  const forgetStoredSecret = (tenantId: string) => app.prisma.$executeRawUnsafe('DELETE FROM event_bridge.ingress_secret WHERE tenant_id = $1', tenantId);
  /** Moves a replica's clock past the cache's lifetime. */
  const afterCacheLifetime = (on: EventBridgeTestApp) => {
    const clock = on.app.get(Clock);
    const later = new Date(clock.now().getTime() + (CACHE_SEC + 1) * 1_000);
    vi.spyOn(clock, 'now').mockReturnValue(later);
  };

  /** A tenant with a secret that `on` has just verified a post with, so it remembers it. */
  const rememberedOn = async (on: EventBridgeTestApp) => {
    const tenantId = randomUUID();
    const secret = await app.createIngressSecret(tenantId);
    expect((await post(on, tenantId, secret)).status).toBe(202);
    return { tenantId, secret };
  };

  it('P1.4 a signed post within TENANT_SECRET_CACHE_SEC is checked against the remembered secret, not the stored one', async () => {
    const { tenantId, secret } = await rememberedOn(app);
    await forgetStoredSecret(tenantId);
    expect((await post(app, tenantId, secret)).status).toBe(202);
    afterCacheLifetime(app);
    const afterExpiry = await post(app, tenantId, secret);
    expect(afterExpiry.status).toBe(401);
    expect(((await afterExpiry.json()) as { error: { code: string } }).error.code).toBe('InvalidSignature');
  });

  it('P1.4 a secret replaced on this replica takes effect at once: the old one is refused, the new one accepted', async () => {
    const { tenantId, secret: oldSecret } = await rememberedOn(app);
    const newSecret = await app.createIngressSecret(tenantId);
    expect((await post(app, tenantId, oldSecret)).status).toBe(401);
    expect((await post(app, tenantId, newSecret)).status).toBe(202);
  });

  it('P1.4 a secret replaced through another replica is accepted there at once, and the old one is then refused there too', async () => {
    const { tenantId, secret: oldSecret } = await rememberedOn(replica);
    const newSecret = await app.createIngressSecret(tenantId);
    // The replica reads the stored secret again when the remembered one does not match.
    expect((await post(replica, tenantId, newSecret)).status).toBe(202);
    expect((await post(replica, tenantId, oldSecret)).status).toBe(401);
  });

  it('P1.4 until then, the other replica accepts the old secret for at most the cache lifetime', async () => {
    const { tenantId, secret: oldSecret } = await rememberedOn(replica);
    await app.createIngressSecret(tenantId);
    expect((await post(replica, tenantId, oldSecret)).status).toBe(202);
    afterCacheLifetime(replica);
    expect((await post(replica, tenantId, oldSecret)).status).toBe(401);
  });

  it('P1.4 a tenant without a secret is refused every time, however often it tries', async () => {
    const tenantId = randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) expect((await post(app, tenantId, 'a-secret-nobody-set-for-this-tenant')).status).toBe(401);
  });
});

describe('TENANT_SECRET_CACHE_SEC=0 (P1.4)', () => {
  let app: EventBridgeTestApp;

  beforeAll(async () => {
    app = await startEventBridgeTestApp({ TENANT_SECRET_CACHE_SEC: '0' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('P1.4 reads the stored secret for every signed post', async () => {
    const tenantId = randomUUID();
    const secret = await app.createIngressSecret(tenantId);
    expect((await app.postSigned('/adapter-events', tenantId, secret, newCall())).status).toBe(202);

    await app.prisma.$executeRawUnsafe('DELETE FROM event_bridge.ingress_secret WHERE tenant_id = $1', tenantId);
    expect((await app.postSigned('/adapter-events', tenantId, secret, newCall())).status).toBe(401);
  });
});
