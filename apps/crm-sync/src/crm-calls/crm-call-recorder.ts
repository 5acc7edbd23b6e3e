import { Injectable } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import { performance } from 'node:perf_hooks';
import type { CrmConnection } from '../crm-engine/crm-connection';
import { type CrmCallResult, CrmEngineService } from '../crm-engine/crm-engine.service';
import type { CrmEndpointKind } from '../crm-engine/crm-endpoint';
import type { UploadFile } from '../crm-engine/crm-upload';
import type { SessionValues } from '../crm-engine/crm-variables';
import { crmIdempotencyKey } from '../crm-engine/idempotency-key';
import { personalValuesOf, redactedCallUrl } from './call-log-redaction';
import { CrmCallLogRepository } from './crm-call-log.repository';

/** Which session, step and try a call belongs to. */
export interface CallContext {
  tenantId: string;
  sessionId: string;
  step: string;
  attempt: number;
  /** The step's own name within the session (`comment/csat/…`), which its calls' Idempotency-Keys derive from; default `step`. */
  stepName?: string;
}

/**
 * Calls a CRM endpoint through the engine and keeps it in the call log: the row is written before the
 * request is sent (so a call cut off by a crash stays visible as in_flight) and completed with the answer.
 */
@Injectable()
export class CrmCallRecorder {
  constructor(
    private readonly engine: CrmEngineService,
    private readonly log: CrmCallLogRepository,
    private readonly clock: Clock,
  ) {}

  async call(context: CallContext, connection: CrmConnection, endpoint: CrmEndpointKind, values: SessionValues): Promise<CrmCallResult> {
    return this.logged(context, connection, endpoint, values, () => this.engine.callWith(connection, endpoint, values, keyOf(context, endpoint)));
  }

  /** CS2.6: the file upload, logged like any call (its URL, never its bytes). */
  async upload(context: CallContext, connection: CrmConnection, values: SessionValues, file: UploadFile): Promise<CrmCallResult & { attachmentUrl?: string }> {
    return this.logged(context, connection, 'uploadFile', values, () => this.engine.uploadWith(connection, values, file, keyOf(context, 'uploadFile')));
  }

  private async logged<R extends CrmCallResult>(context: CallContext, connection: CrmConnection, endpoint: CrmEndpointKind, values: SessionValues, send: () => Promise<R>): Promise<R> {
    const request = this.engine.requestFor(connection, endpoint, values);
    const startedAt = this.clock.now();
    const { stepName: _stepName, ...logged } = context;
    const id = await this.log.start({ ...logged, endpoint, method: request.method, url: redactedCallUrl(request.url, personalValuesOf(values)), startedAt });
    const began = performance.now();
    const result = await send();
    const finishedAt = new Date(startedAt.getTime() + Math.round(performance.now() - began));
    await this.log.finish(id, {
      outcome: result.outcome,
      finishedAt,
      ...('status' in result && result.status !== undefined ? { httpStatus: result.status } : {}),
      ...(result.outcome === 'failed' ? { error: result.error } : {}),
    });
    return result;
  }
}

/** The same on every try of the step (a retry after a crash), different for every other call. */
function keyOf(context: CallContext, endpoint: CrmEndpointKind): string {
  return crmIdempotencyKey({ tenantId: context.tenantId, sessionId: context.sessionId, step: context.stepName ?? context.step, endpoint });
}
