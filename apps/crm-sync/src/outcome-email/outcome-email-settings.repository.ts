import { Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { OutcomeEmailSettings, Prisma } from '../generated/prisma/client';
import type { OutcomeEmailQueueSetting, OutcomeEmailSettingsInput, OutcomeEmailSettingsView } from './outcome-email-settings.schema';

/** crm_sync.outcome_email_settings: one row per tenant. */
@Injectable()
export class OutcomeEmailSettingsRepository {
  constructor(private readonly database: PrismaService) {}

  async find(tenantId: string, db: Pick<PrismaService, 'outcomeEmailSettings'> = this.database): Promise<OutcomeEmailSettingsView | undefined> {
    const row = await db.outcomeEmailSettings.findUnique({ where: { tenantId } });
    return row ? viewOf(row) : undefined;
  }

  async view(tenantId: string): Promise<OutcomeEmailSettingsView> {
    const found = await this.find(tenantId);
    if (!found) throw new NotFoundException({ code: 'OutcomeEmailNotConfigured', message: 'This tenant has no outcome e-mail settings; an administrator sets them with PUT /crm/outcome-email/settings' });
    return found;
  }

  async save(tenantId: string, input: OutcomeEmailSettingsInput): Promise<OutcomeEmailSettingsView> {
    const columns = { globalEnabled: input.global.enabled, globalAddress: input.global.address, queues: input.queues as Prisma.InputJsonValue, subject: input.subject };
    return viewOf(await this.database.outcomeEmailSettings.upsert({ where: { tenantId }, create: { tenantId, ...columns }, update: columns }));
  }
}

function viewOf(row: OutcomeEmailSettings): OutcomeEmailSettingsView {
  return {
    global: { enabled: row.globalEnabled, address: row.globalAddress },
    queues: row.queues as unknown as OutcomeEmailQueueSetting[],
    subject: row.subject,
    updatedAt: row.updatedAt.toISOString(),
  };
}
