import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { MessageTemplate, Prisma } from '../generated/prisma/client';
import type { TemplateInput } from './templates.schema';

/** outbound_messaging.message_template, always within one tenant. */
@Injectable()
export class TemplatesRepository {
  constructor(private readonly database: PrismaService) {}

  create(tenantId: string, input: TemplateInput): Promise<MessageTemplate> {
    return this.database.messageTemplate.create({ data: { tenantId, ...columns(input) } });
  }

  find(tenantId: string, id: string): Promise<MessageTemplate | null> {
    return this.database.messageTemplate.findFirst({ where: { tenantId, id } });
  }

  list(tenantId: string): Promise<MessageTemplate[]> {
    return this.database.messageTemplate.findMany({ where: { tenantId }, orderBy: { name: 'asc' }, take: 1_000 });
  }

  async replace(tenantId: string, id: string, input: TemplateInput): Promise<boolean> {
    const { count } = await this.database.messageTemplate.updateMany({ where: { tenantId, id }, data: columns(input) });
    return count > 0;
  }

  async isUsed(tenantId: string, id: string): Promise<boolean> {
    return (await this.database.outboundConfiguration.count({ where: { tenantId, templateId: id } })) > 0;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.database.messageTemplate.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

function columns(input: TemplateInput) {
  return { name: input.name, channelType: input.channelType, defaultLocale: input.defaultLocale, versions: input.versions as unknown as Prisma.InputJsonValue };
}
