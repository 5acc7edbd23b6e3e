import type { CrmCallResult } from './crm-engine.service';
import type { CrmEndpointKind } from './crm-endpoint';
import type { SessionValues } from './crm-variables';

/** One call of a flow and what came of it. */
export interface FlowStep {
  endpoint: CrmEndpointKind;
  result: CrmCallResult;
}

export interface FlowOutcome {
  steps: FlowStep[];
  accountId?: string;
  recordId?: string;
  /** Why the flow stopped early: a failed call, or an answer without an id. */
  stoppedAt?: CrmEndpointKind;
}

export type CallEndpoint = (kind: CrmEndpointKind, values: SessionValues) => Promise<CrmCallResult>;

/**
 * Find-or-create of the account, then of the record (CS2.3, CS2.4): find by id only when its endpoint
 * is configured and {ACCOUNT_ID} is known, a 404 falling back to find by query; not found → create.
 * The record is found by query only when existing records are reused, else created. Stops at the
 * first failed call (the caller decides about retries, CS2.8).
 */
export async function findOrCreate(call: CallEndpoint, configured: ReadonlySet<CrmEndpointKind>, session: SessionValues, reuseExistingRecords: boolean): Promise<FlowOutcome> {
  const outcome: FlowOutcome = { steps: [] };
  const values: SessionValues = { ...session };
  const attempt = async (endpoint: CrmEndpointKind): Promise<'found' | 'not_found' | 'stop'> => {
    const result = await call(endpoint, values);
    outcome.steps.push({ endpoint, result });
    if (result.outcome === 'not_found') return 'not_found';
    if (result.outcome === 'ok' && result.id !== undefined) return 'found';
    outcome.stoppedAt = endpoint;
    return 'stop';
  };
  const idOf = () => {
    const last = outcome.steps.at(-1)?.result;
    return last?.outcome === 'ok' ? last.id : undefined;
  };

  let account: 'found' | 'not_found' | 'stop' = 'not_found';
  if (values.ACCOUNT_ID && configured.has('findAccountById')) account = await attempt('findAccountById');
  if (account === 'not_found') account = await attempt('findAccountByQuery');
  if (account === 'not_found') account = await attempt('createAccount');
  if (account !== 'found') {
    outcome.stoppedAt ??= 'createAccount';
    return outcome;
  }
  outcome.accountId = values.ACCOUNT_ID = idOf();

  if (!configured.has('createRecord')) return outcome;
  let record: 'found' | 'not_found' | 'stop' = 'not_found';
  if (reuseExistingRecords && configured.has('findRecordByQuery')) record = await attempt('findRecordByQuery');
  if (record === 'not_found') record = await attempt('createRecord');
  if (record === 'found') outcome.recordId = idOf();
  else outcome.stoppedAt ??= 'createRecord';
  return outcome;
}
