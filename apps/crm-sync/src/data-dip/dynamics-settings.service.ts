import { Injectable, NotFoundException } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { SecretBox } from '@switchboard/persistence';
import { ReadThroughCache, refuseFields, ValidationFailed } from '@switchboard/service-kit';
import { CrmSyncConfig } from '../config';
import type { DynamicsConnection } from './dynamics-connection';
import { type DynamicsSettingsRow, DynamicsSettingsRepository } from './dynamics-settings.repository';
import type { DynamicsSettingsInput, DynamicsSettingsView } from './dynamics-settings.schema';

/**
 * How long a replica answers data dips with settings it read before. A change made through another
 * replica is in effect everywhere after this; the replica that saved it forgets its copy at once.
 */
const CONNECTION_CACHE_TTL_MS = 5_000;

/** Per-tenant Dynamics settings (CS7): validated, SSRF-checked (P2.5) and the secret sealed (P2.4). */
@Injectable()
export class DynamicsSettingsService {
  private readonly box: SecretBox;
  private readonly connections = new ReadThroughCache<DynamicsConnection>({ ttlMs: CONNECTION_CACHE_TTL_MS });

  constructor(
    private readonly repository: DynamicsSettingsRepository,
    private readonly http: OutboundHttpClient,
    config: CrmSyncConfig,
  ) {
    this.box = new SecretBox(config.SECRETS_ENCRYPTION_KEY);
  }

  async view(tenantId: string): Promise<DynamicsSettingsView> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    return viewOf(row);
  }

  async replace(tenantId: string, input: DynamicsSettingsInput): Promise<DynamicsSettingsView> {
    const existing = await this.repository.find(tenantId);
    const clientSecretSealed = input.clientSecret === undefined ? existing?.clientSecretSealed : this.box.seal(input.clientSecret);
    if (clientSecretSealed === undefined) {
      throw new ValidationFailed([{ field: 'clientSecret', message: 'clientSecret is required the first time the settings are saved' }]);
    }
    await this.refuseUnreachableUrls(input);
    this.connections.forget(tenantId);
    const row = await this.repository.save(tenantId, {
      organizationUrl: input.organizationUrl,
      authorityUrl: input.authorityUrl,
      entraTenantId: input.entraTenantId,
      clientId: input.clientId,
      clientSecretSealed,
      answerBudgetMs: input.answerBudgetMs,
      agentQueue: input.agentQueue,
    });
    return viewOf(row);
  }

  /** For the data dip's hot path: the tenant's connection, at most CONNECTION_CACHE_TTL_MS old. */
  connectionFor(tenantId: string): Promise<DynamicsConnection> {
    return this.connections.get(tenantId, () => this.readConnection(tenantId));
  }

  private async readConnection(tenantId: string): Promise<DynamicsConnection> {
    const row = await this.repository.find(tenantId);
    if (!row) throw notConfigured();
    return {
      tenantId,
      organizationUrl: row.organizationUrl,
      tokenUrl: `${row.authorityUrl}/${encodeURIComponent(row.entraTenantId)}/oauth2/v2.0/token`,
      clientId: row.clientId,
      clientSecret: this.box.open(row.clientSecretSealed),
      answerBudgetMs: row.answerBudgetMs,
      agentQueue: row.agentQueue,
      version: row.updatedAt.getTime(),
    };
  }

  private async refuseUnreachableUrls(input: DynamicsSettingsInput): Promise<void> {
    refuseFields('UrlNotAllowed', await this.http.urlRefusals([['organizationUrl', input.organizationUrl], ['authorityUrl', input.authorityUrl]]));
  }
}

function viewOf(row: DynamicsSettingsRow): DynamicsSettingsView {
  return {
    organizationUrl: row.organizationUrl,
    authorityUrl: row.authorityUrl,
    entraTenantId: row.entraTenantId,
    clientId: row.clientId,
    clientSecretSet: true,
    answerBudgetMs: row.answerBudgetMs,
    agentQueue: row.agentQueue,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function notConfigured(): NotFoundException {
  return new NotFoundException({ code: 'DynamicsNotConfigured', message: 'This tenant has no Dynamics settings; an administrator sets them with PUT /crm/dynamics/settings' });
}
