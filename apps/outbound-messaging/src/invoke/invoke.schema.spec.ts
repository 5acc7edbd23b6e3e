import { validate } from '@switchboard/validation';
import { describe, expect, it } from 'vitest';
import { canonicalContact, contactSchema } from './invoke.schema';

const valid = { tocontactid: '+16502530001', channelid: 'sms', option: true, CustomerName: 'Dana Levi', CaseName: 'CAS-1' };

/** One field changed at a time, to values contactSchema accepts unchanged, changes, or refuses. */
const variations: Record<string, unknown[]> = {
  tocontactid: ['', 'x', '+1'.padEnd(40, '5'), '+1'.padEnd(41, '5'), 5, null],
  channelid: ['sms', 'whatsapp', 'SMS', 'WhatsApp', 'email', ''],
  option: [true, false, 'true', 'False', 'yes', 1, null],
  locale: [undefined, 'fr-CA', 'x'.repeat(35), 'x'.repeat(36), 3],
  contextitems: [
    undefined,
    {},
    { ticketUrl: 'https://example.com/t/1' },
    { ticketUrl: 7 },
    { ticketUrl: false },
    { ticketUrl: 'x'.repeat(1_000) },
    { ticketUrl: 'x'.repeat(1_001) },
    { '1st': 'a' },
    { constructor: 'a' },
    { ToString: 'a' },
    { a: 'x', A: 'y' },
    Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])),
    Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
    JSON.parse('{"__proto__": "a"}'),
    [],
    'text',
  ],
  entityrelationshipname: [undefined, 'incident_msdyn_ocoutboundmessages', ' padded', 'padded\n', '   ', '', 'x'.repeat(200), 'x'.repeat(201), ` ${'x'.repeat(200)} `],
  msdyn_ocoutboundconfigurationid: [undefined, '761e062f-c734-ef11-8e4f-00224808a166', '761E062F-C734-EF11-8E4F-00224808A166', 'not-a-guid'],
  CustomerName: ['Dana', ' Dana', 'Dana\u00a0', '\u2028Dana', 'Da na', '', ' ', 'x'.repeat(200), 'x'.repeat(201), 'é', 42],
  CaseName: ['CAS-1', 'CAS-1\t', '', 'x'.repeat(201)],
  unknownField: [undefined, 'x'],
};

describe('canonicalContact: the fast path for contacts contactSchema returns unchanged (OM3.1)', () => {
  it('answers exactly what contactSchema answers, or leaves the contact to it', () => {
    const entries: unknown[] = [valid, null, undefined, 'x', [], [valid], { ...valid, CaseName: undefined }];
    for (const [field, values] of Object.entries(variations)) for (const value of values) entries.push({ ...valid, [field]: value });
    let fast = 0;
    for (const entry of entries) {
      const canonical = canonicalContact(entry);
      if (canonical === undefined) continue;
      fast++;
      const zod = validate(contactSchema, entry, 'The contact');
      expect(zod.ok, JSON.stringify(entry)).toBe(true);
      expect(zod.ok && zod.value, JSON.stringify(entry)).toEqual(canonical);
    }
    // The common shapes do take the fast path.
    expect(fast).toBeGreaterThan(20);
  });

  it('takes a full contact as the invoke API documents it, and leaves every contact zod would change or refuse', () => {
    const full = { ...valid, locale: 'fr-CA', contextitems: { ticketUrl: 'https://support.example.com/t/1042' }, entityrelationshipname: 'incident_msdyn_ocoutboundmessages', msdyn_ocoutboundconfigurationid: '761e062f-c734-ef11-8e4f-00224808a166' };
    expect(canonicalContact(full)).toBe(full);
    for (const changed of [{ channelid: 'SMS' }, { option: 'true' }, { CustomerName: ' Dana' }, { contextitems: { n: 1 } }, { contextitems: { constructor: 'a' } }, { contextitems: { a: '1', A: '2' } }, { unknownField: 1 }, { msdyn_ocoutboundconfigurationid: '761E062F-C734-EF11-8E4F-00224808A166' }]) {
      expect(canonicalContact({ ...full, ...changed }), JSON.stringify(changed)).toBeUndefined();
    }
  });
});
