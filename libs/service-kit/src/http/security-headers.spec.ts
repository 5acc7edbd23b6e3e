import { Controller, Get, Module } from '@nestjs/common';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useKitService } from '../test-support/start-kit-service';
import { helmetHeaders } from './security-headers';

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return { items: [] };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

const API_CSP = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";

describe('security headers (issue 7)', () => {
  const service = useKitService(ThingsModule);

  it.each([
    ['a JSON answer', '/things', 200],
    ['an error answer', '/nowhere', 404],
    ['a probe', '/health/live', 200],
  ])('%s carries nosniff, frame denial, no-referrer, no-store and a CSP that loads nothing', async (_name, path, status) => {
    const response = await fetch(`${service.baseUrl}${path}`);

    expect(response.status).toBe(status);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': API_CSP,
      'strict-transport-security': expect.stringContaining('max-age='),
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it('the API page gets a CSP that lets it run: same-origin scripts only, none inline', async () => {
    const page = await fetch(`${service.baseUrl}/docs`);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';

    expect(page.status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // script-src has no 'unsafe-inline': every script must be a same-origin file that loads.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+\.(?:js|css))["']/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const path of assets) {
      const url = new URL(path, page.url);
      expect(url.origin).toBe(service.baseUrl);
      const asset = await fetch(url);
      expect(asset.status, url.pathname).toBe(200);
      await asset.arrayBuffer();
    }
  });

  it('every header helmet sets is on the answer, with its value (computed once, not per request)', async () => {
    const helmetOptions = { referrerPolicy: { policy: 'no-referrer' as const }, xFrameOptions: { action: 'deny' as const } };
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    helmet(helmetOptions)({} as IncomingMessage, response, () => undefined);
    const set = Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
    expect(helmetHeaders(helmetOptions)).toEqual(set);

    const answer = Object.fromEntries((await fetch(`${service.baseUrl}/things`)).headers);
    for (const name of ['x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'origin-agent-cluster', 'cross-origin-opener-policy', 'x-xss-protection']) {
      expect(answer[name], name).toBe(set[name]);
    }
  });
});
