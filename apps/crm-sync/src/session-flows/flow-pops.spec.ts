import { describe, expect, it } from 'vitest';
import { poppedMarker, popsDue } from './flow-pops';
import type { SessionFlow } from './session-flow.repository';

const flow = (changes: Partial<SessionFlow> = {}): SessionFlow => ({
  tenantId: '7e3a9c4d-5f6b-4a8c-9d0e-2f3a4b5c6d7e',
  sessionId: '103646',
  values: { SESSION_ID: '103646', SESSION_TYPE: 'Voice Inbound', CHANNEL: 'voice', PHONE_NUMBER: '+14155552671' },
  channel: 'voice',
  sessionType: 'Voice Inbound',
  queueId: '8469',
  agentId: '17',
  poppedAgentIds: [],
  accountId: 'acc_1',
  temporaryAccountId: null,
  recordId: 'rec_9',
  startedAt: null,
  endedAt: null,
  outcome: null,
  piiPopEventIds: [],
  createdAt: new Date(),
  updatedAt: new Date(),
  ...changes,
});
const crm = { accountLookupUrl: 'https://crm.example.com/accounts/{ACCOUNT_ID}', recordLookupUrl: 'https://crm.example.com/records/{RECORD_ID}', recordExpected: true };
const noLookups = { openCustomUrlWhenNotFound: [] };

describe('which pops an agent is owed (CS4.1, CS1.4, CS5)', () => {
  it('CS4.1 CS1.4 the record once it is known, for the current agent only, once per agent (a transfer pops it for the new agent)', () => {
    const pop = popsDue(flow(), noLookups, crm)[0] ?? { kind: 'record' as const, agentId: 'none' };
    expect(pop).toEqual({ kind: 'record', agentId: '17', url: 'https://crm.example.com/records/rec_9', recordType: 'record', recordId: 'rec_9', personal: false });
    expect(popsDue(flow({ poppedAgentIds: [poppedMarker(pop)] }), noLookups, crm)).toEqual([]);
    expect(popsDue(flow({ poppedAgentIds: ['record:17'], agentId: '23' }), noLookups, crm)).toEqual([expect.objectContaining({ agentId: '23' })]);
    expect(popsDue(flow({ agentId: null }), noLookups, crm)).toEqual([]);
  });

  it('CS1.4 the account is popped only when no record is expected (or the record has no lookup URL)', () => {
    expect(popsDue(flow({ recordId: null }), noLookups, crm)).toEqual([]);
    expect(popsDue(flow({ recordId: null }), noLookups, { ...crm, recordExpected: false })).toEqual([expect.objectContaining({ url: 'https://crm.example.com/accounts/acc_1', recordType: 'account' })]);
    expect(popsDue(flow({ recordId: null }), noLookups, { ...crm, recordLookupUrl: undefined })).toEqual([expect.objectContaining({ recordType: 'account' })]);
  });

  it('CS5.1 CS5.4 the custom lookup URL and the not-found URL are personal (scrubbed at the end); an unusable URL is never popped', () => {
    const lookups = { ivrTemplate: 'https://crm.example.com/lookup?ani={ANI}', openCustomUrlWhenNotFound: [{ queueId: '8469', url: 'https://crm.example.com/new?p={PHONE_NUMBER}&id={ACCOUNT_ID}' }] };
    expect(popsDue(flow({ accountId: null, recordId: null, temporaryAccountId: 'tmp-1' }), lookups, undefined)).toEqual([
      { kind: 'lookup', agentId: '17', url: 'https://crm.example.com/lookup?ani=%2B14155552671', recordType: 'custom_lookup', personal: true },
      { kind: 'not_found', agentId: '17', url: 'https://crm.example.com/new?p=%2B14155552671&id=tmp-1', recordType: 'new_account', recordId: 'tmp-1', personal: true },
    ]);
    expect(popsDue(flow(), noLookups, { ...crm, recordLookupUrl: 'javascript:alert({RECORD_ID})' })).toEqual([]);
  });
});
