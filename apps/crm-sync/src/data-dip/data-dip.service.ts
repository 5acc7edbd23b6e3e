import { Injectable, Logger } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import type { CallerNumber } from './caller-number';
import { DataverseClient } from './dataverse-client';
import { type DataDipAnswer, caseFoundAnswer, failureAnswer, noCaseAnswer } from './data-dip-answer';
import { DataDipFailure, TokenRejected } from './data-dip-failure';
import type { DynamicsConnection } from './dynamics-connection';
import { DynamicsSettingsService } from './dynamics-settings.service';
import { EntraTokenCache } from './entra-token-cache';

/** Kept back from the budget for building and sending the answer after Dynamics' last byte. */
const ANSWER_MARGIN_MS = 50;

/**
 * The IVR data dip (CS7, seed 001): ANI → Dynamics contact → latest case → greeting, routing and
 * screen pop. Every path ends in a defined answer that routes the caller, within the tenant's
 * answer budget: the Dynamics calls share one deadline and are cut off when it passes.
 */
@Injectable()
export class DataDipService {
  private readonly logger = new Logger(DataDipService.name);
  private readonly tokens: EntraTokenCache;
  private readonly dataverse: DataverseClient;
  /** Tenants Dynamics throttled (429), until its Retry-After has passed: their dips skip Dynamics. */
  private readonly throttledUntil = new Map<string, number>();

  constructor(
    private readonly settings: DynamicsSettingsService,
    http: OutboundHttpClient,
  ) {
    this.tokens = new EntraTokenCache(http);
    this.dataverse = new DataverseClient(http);
  }

  async answer(tenantId: string, caller: CallerNumber): Promise<DataDipAnswer> {
    const connection = await this.settings.connectionFor(tenantId);
    const { organizationUrl, agentQueue } = connection;
    const throttledFor = Math.ceil(((this.throttledUntil.get(tenantId) ?? 0) - Date.now()) / 1000);
    if (throttledFor > 0) return failureAnswer(organizationUrl, agentQueue, 'crm_throttled', throttledFor);
    this.throttledUntil.delete(tenantId);

    // One timer for the whole dip, cleared as soon as it is answered.
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(), Math.max(connection.answerBudgetMs - ANSWER_MARGIN_MS, 1));
    try {
      return await this.lookUp(connection, caller, budget.signal, true);
    } catch (error) {
      const failure = error instanceof DataDipFailure ? error : budget.signal.aborted ? new DataDipFailure('crm_timeout', 'the answer budget ran out') : undefined;
      if (!failure) throw error;
      this.logger.warn({ tenantId, outcome: failure.kind, reason: failure.message }, 'Data dip answered without Dynamics data');
      if (failure.kind === 'crm_throttled' && failure.retryAfterSeconds) this.throttledUntil.set(tenantId, Date.now() + failure.retryAfterSeconds * 1000);
      return failureAnswer(organizationUrl, agentQueue, failure.kind, failure.retryAfterSeconds);
    } finally {
      clearTimeout(timer);
    }
  }

  private async lookUp(connection: DynamicsConnection, caller: CallerNumber, deadline: AbortSignal, mayRenewToken: boolean): Promise<DataDipAnswer> {
    const { organizationUrl, agentQueue } = connection;
    const token = await this.tokens.tokenFor(connection, deadline);
    try {
      const customer = await this.dataverse.findContact(connection, token, caller, deadline);
      if (!customer) return noCaseAnswer(organizationUrl, agentQueue);
      const latest = await this.dataverse.latestCase(connection, token, customer.contactId, deadline);
      return latest ? caseFoundAnswer(organizationUrl, agentQueue, customer, latest) : noCaseAnswer(organizationUrl, agentQueue, customer);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      // A revoked token or rotated secret: one new token, once; a second refusal is an error.
      this.tokens.invalidate(connection);
      if (!mayRenewToken) throw new DataDipFailure('crm_error', error.message);
      return this.lookUp(connection, caller, deadline, false);
    }
  }
}
