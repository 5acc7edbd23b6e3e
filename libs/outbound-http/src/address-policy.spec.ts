import { describe, expect, it } from 'vitest';
import { AllowListError, OutboundAddressPolicy, parseAllowList } from './address-policy';

describe('OutboundAddressPolicy (P2.5 which addresses admin-configured URLs may reach)', () => {
  const policy = new OutboundAddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback address (127.0.0.1)'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::1', '6to4'],
    ['ff02::1', 'multicast'],
  ])('P2.5 refuses %s (%s)', (address, reason) => {
    expect(policy.refusalOf(address)).toContain(reason);
  });

  it.each(['8.8.8.8', '52.96.1.2', '2001:4860:4860::8888'])('P2.5 lets the public address %s through', (address) => {
    expect(policy.refusalOf(address)).toBeUndefined();
  });

  it('P2.5 an allow-list entry opens exactly its range, including mapped forms of it', () => {
    const allowing = OutboundAddressPolicy.fromEntries(['127.0.0.2/32', '10.20.0.0/16', '::1']);

    expect(allowing.refusalOf('127.0.0.2')).toBeUndefined();
    expect(allowing.refusalOf('::ffff:127.0.0.2')).toBeUndefined();
    expect(allowing.refusalOf('127.0.0.1')).toContain('loopback');
    expect(allowing.refusalOf('10.20.255.1')).toBeUndefined();
    expect(allowing.refusalOf('10.21.0.1')).toContain('private');
    expect(allowing.refusalOf('::1')).toBeUndefined();
    expect(allowing.refusalOf('169.254.169.254')).toContain('cloud metadata');
  });

  it('P2.5 a host entry allows that exact name only, not its subdomains or look-alikes', () => {
    const allowing = OutboundAddressPolicy.fromEntries(['crm.internal']);

    expect(allowing.allowsHost('crm.internal')).toBe(true);
    expect(allowing.allowsHost('CRM.Internal.')).toBe(true);
    expect(allowing.allowsHost('evil.crm.internal')).toBe(false);
    expect(allowing.allowsHost('crm.internal.evil.example')).toBe(false);
  });

  it.each(['10.0.0.0/33', 'not a host!', '1.2.3.4/x', ''])('P2.5 refuses the allow-list entry %j', (entry) => {
    expect(() => parseAllowList([entry])).toThrow(AllowListError);
  });
});
