import { describe, expect, it } from 'vitest';
import { resolveCalleeTimeZones } from './callee-time-zones';
import { parsePhoneNumber } from './phone-number';

async function zonesOf(number: string): Promise<string[]> {
  const result = parsePhoneNumber(number);
  if (!result.ok) throw new Error(result.reason);
  return resolveCalleeTimeZones(result.value);
}

describe("the callee's candidate time zones (PD3.2)", () => {
  it('PD3.2 a New York number has one zone', async () => {
    expect(await zonesOf('+1 212 555 0123')).toEqual(['America/New_York']);
  });

  it('PD3.2 a Berlin number has one zone', async () => {
    expect(await zonesOf('+49 30 123456')).toEqual(['Europe/Berlin']);
  });

  it('PD3.2 an area code that spans zones gives every candidate (Alaska 907)', async () => {
    expect(await zonesOf('+1 907 555 0123')).toEqual([
      'America/Adak',
      'America/Anchorage',
    ]);
  });

  it('PD3.2 Western Australia (+61 8) gives both Adelaide and Perth', async () => {
    expect(await zonesOf('+61 8 9123 4567')).toEqual([
      'Australia/Adelaide',
      'Australia/Perth',
    ]);
  });

  it('PD3.2 a NANP toll-free number could be anywhere in the plan: all its zones', async () => {
    const zones = await zonesOf('+1 800 555 0199');
    expect(zones.length).toBeGreaterThan(30);
    expect(zones).toEqual(
      expect.arrayContaining([
        'Pacific/Guam',
        'America/St_Johns',
        'America/Los_Angeles',
        'Pacific/Honolulu',
      ]),
    );
  });

  it('PD3.2 returns valid IANA names only, sorted and without duplicates', async () => {
    const zones = await zonesOf('+1 800 555 0199');
    expect(zones).toEqual([...new Set(zones)].sort());
  });
});
