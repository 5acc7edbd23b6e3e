import { recordUrlSchema } from '@switchboard/contracts';
import { renderCrmLookupUrl } from '../lookup-urls/crm-lookup-url';
import { customLookupValues, renderLookupUrl, templateKindOf } from '../lookup-urls/custom-lookup-url';
import type { LookupUrlSettings } from '../lookup-urls/lookup-url-settings.schema';
import type { SessionFlow } from './session-flow.repository';

/** What kind of page a pop opens: the custom lookup URL (CS5.1), the not-found URL (CS5.4), or the CRM's record or account (CS1.4). */
export type PopKind = 'lookup' | 'not_found' | 'record';

export interface DuePop {
  kind: PopKind;
  agentId: string;
  url: string;
  recordType: string;
  recordId?: string;
  /** The URL holds the customer's number or e-mail: it is scrubbed from the outbox when the session ends (CS5.3). */
  personal: boolean;
}

export interface CrmLookups {
  accountLookupUrl?: string;
  recordLookupUrl?: string;
  /** A record is expected (the record tier is configured): the account alone is not popped. */
  recordExpected: boolean;
}

/** `<kind>:<agent>`: each agent gets each kind of pop once. */
export function poppedMarker(pop: Pick<DuePop, 'kind' | 'agentId'>): string {
  return `${pop.kind}:${pop.agentId}`;
}

/**
 * The pops the session's current agent is owed and has not had: the custom lookup URL as soon as an agent
 * is assigned; the not-found URL with the temporary account id; the record (or, without a record tier, the
 * account) once the CRM answered with its id. URLs that are not absolute http(s) are never popped.
 */
export function popsDue(flow: SessionFlow, lookupUrls: LookupUrlSettings, crm: CrmLookups | undefined): DuePop[] {
  const agentId = flow.agentId;
  if (!agentId) return [];
  const candidates: Array<Omit<DuePop, 'agentId'> | undefined> = [lookupPop(flow, lookupUrls), notFoundPop(flow, lookupUrls), crm && crmPop(flow, crm)];
  return candidates
    .filter((pop): pop is Omit<DuePop, 'agentId'> => pop !== undefined && recordUrlSchema.safeParse(pop.url).success)
    .map((pop) => ({ ...pop, agentId }))
    .filter((pop) => !flow.poppedAgentIds.includes(poppedMarker(pop)));
}

function lookupPop(flow: SessionFlow, settings: LookupUrlSettings): Omit<DuePop, 'agentId'> | undefined {
  const template = templateKindOf(flow.sessionType ?? undefined) === 'sdk' ? settings.sdkTemplate : settings.ivrTemplate;
  if (!template) return undefined;
  return { kind: 'lookup', url: renderLookupUrl(template, customLookupValues(flow.values, flow.values.SUPPORT_PHONE_NUMBER)), recordType: 'custom_lookup', personal: true };
}

function notFoundPop(flow: SessionFlow, settings: LookupUrlSettings): Omit<DuePop, 'agentId'> | undefined {
  const queue = settings.openCustomUrlWhenNotFound.find((entry) => entry.queueId === flow.queueId);
  if (!queue || !flow.temporaryAccountId) return undefined;
  const url = renderLookupUrl(queue.url, { ACCOUNT_ID: flow.temporaryAccountId, PHONE_NUMBER: flow.values.PHONE_NUMBER });
  return { kind: 'not_found', url, recordType: 'new_account', recordId: flow.temporaryAccountId, personal: true };
}

function crmPop(flow: SessionFlow, crm: CrmLookups): Omit<DuePop, 'agentId'> | undefined {
  const values = { ...flow.values, ACCOUNT_ID: flow.accountId ?? undefined, RECORD_ID: flow.recordId ?? undefined };
  const recordUrl = flow.recordId ? renderCrmLookupUrl(crm.recordLookupUrl, values) : undefined;
  if (recordUrl && flow.recordId) return { kind: 'record', url: recordUrl, recordType: 'record', recordId: flow.recordId, personal: false };
  const accountUrl = flow.accountId && (!crm.recordExpected || !crm.recordLookupUrl) ? renderCrmLookupUrl(crm.accountLookupUrl, values) : undefined;
  if (accountUrl && flow.accountId) return { kind: 'record', url: accountUrl, recordType: 'account', recordId: flow.accountId, personal: false };
  return undefined;
}
