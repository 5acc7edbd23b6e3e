import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { CrmCaseEventTypes, crmCaseEventSchema } from './case-events';

const TENANT = '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
const CASE = { crmEventId: 'evt-1', caseId: 'case-1', status: 'New', contact: { phoneNumber: '+14155552671', locale: 'fr-CA' }, occurredAt: '2026-03-02T14:20:00.000Z' };

describe('crm.case-events.v1 contract (scenario E2)', () => {
  it.each(Object.values(CrmCaseEventTypes))('E2 carries %s on its own topic only', (type) => {
    const event = createCloudEvent({ type, source: '/switchboard/crm-sync', subject: 'case-1', tenantId: TENANT, data: CASE });
    expect(eventCatalog.parse(Topics.crmCaseEvents, event).data).toEqual(CASE);
    expect(() => eventCatalog.parse(Topics.crmRecordPops, event)).toThrow();
  });

  it.each([
    ['a phone number that is not E.164', { contact: { phoneNumber: '4155552671' } }, 'contact.phoneNumber'],
    ['a bad locale', { contact: { locale: 'french' } }, 'contact.locale'],
    ['no case id', { caseId: '' }, 'caseId'],
    ['no status', { status: undefined }, 'status'],
  ])('E2 refuses %s', (_what, override, path) => {
    const result = crmCaseEventSchema.safeParse({ ...CASE, ...override });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
