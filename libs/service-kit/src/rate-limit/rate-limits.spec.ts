import { Controller, Get, Module, Param, UnauthorizedException } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { type StartedKitService, startKitService } from '../test-support/start-kit-service';

/** `/probe/open` answers; `/probe/locked` refuses like a failed signature check. */
@Controller('probe')
class ProbeController {
  @Get(':door')
  enter(@Param('door') door: string) {
    if (door === 'locked') throw new UnauthorizedException('Missing or invalid signature');
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('rate limits per client address (P2.3)', () => {
  let service: StartedKitService | undefined;

  afterEach(async () => {
    await service?.app.close();
    service = undefined;
  });

  const get = (path: string) => fetch(`${service?.baseUrl}${path}`);

  async function expectTooMany(response: Response, message: RegExp): Promise<void> {
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('TooManyRequests');
    expect(body.error.message).toMatch(message);
  }

  it('P2.3 past the address budget → 429 with Retry-After in the error shape', async () => {
    service = await startKitService(ProbeModule, { RATE_LIMIT_PER_ADDRESS: { limit: 3, periodMs: 60_000 } });

    const answered = [];
    for (let i = 0; i < 3; i++) answered.push((await get('/probe/open')).status);
    expect(answered).toEqual([200, 200, 200]);

    const refused = await get('/probe/open');
    await expectTooMany(refused, /^Too many requests from this address; retry after \d+ s$/);
    expect(Number(refused.headers.get('retry-after'))).toBe(20);
    // The refusal carries the platform's other headers too.
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('P2.3 an address that keeps failing authentication is refused everything until its budget refills', async () => {
    service = await startKitService(ProbeModule, { RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: { limit: 2, periodMs: 60_000 } });

    expect((await get('/probe/locked')).status).toBe(401);
    expect((await get('/probe/open')).status).toBe(200);
    expect((await get('/probe/locked')).status).toBe(401);

    await expectTooMany(await get('/probe/locked'), /^Too many failed authentications from this address/);
    await expectTooMany(await get('/probe/open'), /^Too many failed authentications from this address/);
  });

  it('P2.3 "off" enforces nothing', async () => {
    service = await startKitService(ProbeModule, { RATE_LIMIT_PER_ADDRESS: false, RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: false });

    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) statuses.add((await get('/probe/locked')).status);
    expect([...statuses]).toEqual([401]);
  });
});
