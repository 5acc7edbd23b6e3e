import { describe, expect, it } from 'vitest';
import { isEventPath, readEventPath } from './event-paths';
import { conditionsHold, contactFromEvent } from './rule-matching';
import { contactFieldsSchema } from './rules.schema';

const data = { caseNumber: 'CAS-1', status: 'New', priority: 2, contact: { phoneNumber: '+14155552671', name: 'Dana Levi', locale: 'fr-CA' }, tags: ['a'] };
const defaults = contactFieldsSchema.parse({});

describe('rule matching (OM4.1)', () => {
  it('OM4.1 paths read only the event\'s own scalar data; prototype keys are refused', () => {
    expect(readEventPath(data, 'contact.name')).toBe('Dana Levi');
    expect(readEventPath(data, 'priority')).toBe('2');
    expect(readEventPath(data, 'contact')).toBeUndefined();
    expect(readEventPath(data, 'tags')).toBeUndefined();
    expect(readEventPath(data, 'contact.missing')).toBeUndefined();
    expect(readEventPath(data, 'toString')).toBeUndefined();
    expect(readEventPath({ name: '   ' }, 'name')).toBeUndefined();
    expect(['contact.phoneNumber', 'a.b.c.d.e'].map(isEventPath)).toEqual([true, true]);
    expect(['__proto__', 'constructor', 'a.prototype', 'a.b.c.d.e.f', 'a..b', '1a', ''].map(isEventPath)).toEqual([false, false, false, false, false, false, false]);
  });

  it('OM4.1 every condition must hold, letter case ignored; a missing field does not match', () => {
    expect(conditionsHold([], data)).toBe(true);
    expect(conditionsHold([{ field: 'status', in: ['new'] }, { field: 'priority', in: ['1', '2'] }], data)).toBe(true);
    expect(conditionsHold([{ field: 'status', in: ['new'] }, { field: 'priority', in: ['1'] }], data)).toBe(false);
    expect(conditionsHold([{ field: 'owner.name', in: ['x'] }], data)).toBe(false);
  });

  it('OM4.1 the contact entry comes from the event (default paths of a CRM case event); missing required fields are named', () => {
    expect(contactFromEvent({ ...defaults, entityrelationshipname: 'incident_x' }, 'sms', data)).toEqual({
      ok: true,
      entry: { tocontactid: '+14155552671', channelid: 'sms', option: true, CustomerName: 'Dana Levi', CaseName: 'CAS-1', locale: 'fr-CA', contextitems: { caseStatus: 'New' }, entityrelationshipname: 'incident_x' },
    });
    expect(contactFromEvent(defaults, 'sms', { caseNumber: 'CAS-2', contact: {} })).toEqual({
      ok: false,
      reason: "tocontactid comes from the event's contact.phoneNumber, which has no value; CustomerName comes from the event's contact.name, which has no value",
    });
  });
});
