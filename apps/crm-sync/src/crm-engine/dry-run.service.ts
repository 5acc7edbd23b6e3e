import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { CrmConnection } from './crm-connection';
import { CrmEngineService } from './crm-engine.service';
import { type CompiledEndpoint, CRM_ENDPOINT_KINDS, type CrmEndpointKind, requiredVariablesOf } from './crm-endpoint';
import { CustomCrmSettingsService } from './crm-settings.service';
import type { CrmVariable, SessionValues } from './crm-variables';
import type { DryRunAnswer, DryRunInput, DryRunStep } from './dry-run.schema';
import { findOrCreate } from './find-or-create';
import { CrmValueMissing } from './template-error';

/**
 * The dry run an administrator uses when a CRM integration misbehaves: for a sample session, the exact
 * requests the engine would send, in flow order (authentication redacted); with `execute`, the
 * find-or-create flow really runs against the CRM and each answer and extracted id is shown.
 */
@Injectable()
export class DryRunService {
  constructor(
    private readonly settings: CustomCrmSettingsService,
    private readonly engine: CrmEngineService,
  ) {}

  async run(tenantId: string, input: DryRunInput): Promise<DryRunAnswer> {
    const connection = await this.settings.connectionFor(tenantId);
    return input.execute ? this.execute(connection, input.variables) : { executed: false, steps: this.plan(connection, input.variables) };
  }

  private plan(connection: CrmConnection, values: SessionValues): DryRunStep[] {
    return CRM_ENDPOINT_KINDS.filter((kind) => connection.endpoints[kind] && wouldRun(kind, connection, values)).map((endpoint) => {
      // The account and record ids come from earlier steps when the sample session does not name them.
      const used = requiredVariablesOf(connection.endpoints[endpoint] as CompiledEndpoint);
      const waitsFor = FLOW_IDS.find((variable) => used.has(variable) && !values[variable]);
      if (waitsFor) return { endpoint, needs: waitsFor };
      try {
        return { endpoint, request: this.engine.requestFor(connection, endpoint, values) };
      } catch (error) {
        if (error instanceof CrmValueMissing) return { endpoint, needs: error.variable };
        throw error;
      }
    });
  }

  private async execute(connection: CrmConnection, values: SessionValues): Promise<DryRunAnswer> {
    const configured = new Set(Object.keys(connection.endpoints) as CrmEndpointKind[]);
    try {
      const flow = await findOrCreate((kind, stepValues) => this.engine.callWith(connection, kind, stepValues), configured, values, connection.reuseExistingRecords);
      const steps = flow.steps.map(({ endpoint, result }): DryRunStep => {
        const { request, ...response } = result;
        const shown: DryRunStep['response'] = { outcome: response.outcome };
        if ('status' in response && response.status !== undefined) shown.status = response.status;
        if (response.outcome === 'ok' && response.id !== undefined) shown.id = response.id;
        if (response.outcome === 'failed') Object.assign(shown, { error: response.error }, response.retryAfter ? { retryAfter: response.retryAfter } : {});
        return { endpoint, request, response: shown };
      });
      return { executed: true, steps, ...pick(flow, ['accountId', 'recordId', 'stoppedAt']) };
    } catch (error) {
      if (error instanceof CrmValueMissing) throw new UnprocessableEntityException({ code: 'CrmValueMissing', message: error.message });
      throw error;
    }
  }
}

const FLOW_IDS: readonly CrmVariable[] = ['ACCOUNT_ID', 'RECORD_ID', 'ATTACHMENT_ID'];

/** Find by id runs only with a known {ACCOUNT_ID} (CS2.3); find record only when records are reused (CS2.4). */
function wouldRun(kind: CrmEndpointKind, connection: CrmConnection, values: SessionValues): boolean {
  if (kind === 'findAccountById') return Boolean(values.ACCOUNT_ID);
  if (kind === 'findRecordByQuery') return connection.reuseExistingRecords;
  return true;
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]])) as Partial<Pick<T, K>>;
}
