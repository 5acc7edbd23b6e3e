import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../catalog';
import { createCloudEvent } from '../events/cloud-event';
import { Topics } from '../topics';
import { CrmRecordPopEventTypes, crmRecordPopSchema } from './record-pops';

const TENANT = '3f0e7b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
const pop = (data: Record<string, unknown>) =>
  createCloudEvent({ type: CrmRecordPopEventTypes.recordPop, source: '/switchboard/crm-sync', subject: 'agent-1', tenantId: TENANT, data });

describe('crm.record-pops.v1 CRM_Record_Pop contract (EB1.2, EB3.1)', () => {
  it('accepts a pop for an agent with an https record URL, on its own topic only', () => {
    const event = pop({ agentId: '17', sessionId: 'CA7f', recordUrl: 'https://crm.example.com/tickets/42', recordType: 'ticket', recordId: '42' });
    expect(eventCatalog.parse(Topics.crmRecordPops, event).data).toEqual(event.data);
    expect(() => eventCatalog.parse(Topics.agentEvents, event)).toThrow(/belongs on crm.record-pops.v1/);
  });

  it.each(['http://crm.example.com/r/1', 'https://crm.example.com:8443/r?id=1#top', 'HTTPS://CRM.example.com/r'])('accepts the record URL %s', (recordUrl) => {
    expect(crmRecordPopSchema.safeParse({ agentId: '1', recordUrl }).success).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://crm.example.com/r',
    '//crm.example.com/r',
    '/tickets/42',
    'https://',
    ' https://crm.example.com/r',
    'https://crm.example.com/r\nSet-Cookie: x=1',
    'java\tscript:alert(1)',
    `https://crm.example.com/${'a'.repeat(2_048)}`,
  ])('refuses the record URL %j, naming recordUrl', (recordUrl) => {
    const result = crmRecordPopSchema.safeParse({ agentId: '1', recordUrl });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('recordUrl');
  });

  it('needs an agent and a record URL; the tenant travels in the envelope', () => {
    expect(crmRecordPopSchema.safeParse({ recordUrl: 'https://crm.example.com/r' }).success).toBe(false);
    expect(crmRecordPopSchema.safeParse({ agentId: '', recordUrl: 'https://crm.example.com/r' }).success).toBe(false);
    expect(crmRecordPopSchema.safeParse({ agentId: '1' }).success).toBe(false);
    const { tenantid: _dropped, ...withoutTenant } = pop({ agentId: '1', recordUrl: 'https://crm.example.com/r' });
    expect(() => eventCatalog.parse(Topics.crmRecordPops, withoutTenant)).toThrow(/tenantid/);
  });
});
