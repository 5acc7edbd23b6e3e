import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config';
import { trustProxyOf } from './fastify-options';

describe('HTTP_TRUST_PROXY (P2: forged headers)', () => {
  it('trusts nobody by default and when false, everybody when true', () => {
    expect(trustProxyOf(undefined)).toBe(false);
    expect(trustProxyOf('false')).toBe(false);
    expect(trustProxyOf('true')).toBe(true);
  });

  it("passes the proxies' addresses and CIDRs on as given", () => {
    expect(trustProxyOf('10.0.0.0/8,127.0.0.1')).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('refuses a hop count, which would let a direct client forge X-Forwarded-For, saying what to write instead', () => {
    expect(() => trustProxyOf('1')).toThrow(ConfigError);
    expect(() => trustProxyOf('2')).toThrow(/hop count cannot tell a proxy from a client; name the proxies' addresses or CIDRs/);
  });
});
