import { Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { DeliveryStatuses } from '@switchboard/contracts';
import { DocumentedBody, EmptyBody, lowerCaseGuid, parseNamed, queryInteger, ZodQuery } from '@switchboard/validation';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProactiveDeliveryConfig } from '../config';
import { createDeliveryExample, createDeliveryRequestSchema } from './create-delivery.schema';
import { DeliveriesService } from './deliveries.service';
import { DeliveryView } from './delivery.mapper';

export const CREATE_DELIVERY_PATH = 'api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery';
const RESPONSE_TYPE = 'Microsoft.Dynamics.CRM.CCaaS_CreateProactiveVoiceDeliveryResponse';

const IDEMPOTENCY_KEY_RULE = 'must be 1–200 visible ASCII characters';
const idempotencyKey = z.string().min(1, IDEMPOTENCY_KEY_RULE).max(200, IDEMPOTENCY_KEY_RULE).regex(/^[\x21-\x7e]+$/, IDEMPOTENCY_KEY_RULE).optional();
const deliveryId = lowerCaseGuid();
const listQuery = z.strictObject({
  contactId: lowerCaseGuid().optional(),
  status: z.enum(DeliveryStatuses).optional(),
  limit: queryInteger({ min: 1, max: 200 }).default(50),
  cursor: z.guid('must be a DeliveryId from nextCursor').optional(),
});

const CALLERS = [Role.OmnichannelAgent, Role.OmnichannelSupervisor] as const;

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller()
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly config: ProactiveDeliveryConfig,
  ) {}

  /** Wire-compatible with Dynamics 365 Contact Center (PD1): same URL, fields, response and error shape. */
  @Post(CREATE_DELIVERY_PATH)
  @HttpCode(200)
  @Roles(...CALLERS)
  @ApiOperation({ summary: 'CCaaS_CreateProactiveVoiceDelivery: schedule an outbound call or callback' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeated key returns the first DeliveryId' })
  async create(
    @TenantId() tenantId: string,
    @Headers('idempotency-key') key: string | undefined,
    // Parsed in the service: it needs the tenant's number validation and the clock.
    @DocumentedBody(createDeliveryRequestSchema, { example: createDeliveryExample(new Date()) }) body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<{ '@odata.context': string; DeliveryId: string }> {
    const id = await this.deliveries.create(tenantId, body, parseNamed('Idempotency-Key', idempotencyKey, key));
    return { '@odata.context': `${this.baseUrl(request)}/api/data/v9.2/$metadata#${RESPONSE_TYPE}`, DeliveryId: id };
  }

  @Get('proactive/deliveries/:id')
  @Roles(...CALLERS, Role.Administrator)
  @ApiOperation({ summary: 'A delivery with its attempts (PD4.5)' })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<DeliveryView> {
    return this.deliveries.get(tenantId, parseNamed('id', deliveryId, id));
  }

  @Get('proactive/deliveries')
  @Roles(...CALLERS, Role.Administrator)
  @ApiOperation({ summary: 'Deliveries by contact and/or status, oldest id first, paged by cursor (PD4.5)' })
  list(@TenantId() tenantId: string, @ZodQuery(listQuery) query: z.output<typeof listQuery>) {
    return this.deliveries.list(tenantId, query);
  }

  @Post('proactive/deliveries/:id/cancel')
  @HttpCode(200)
  @Roles(...CALLERS, Role.Administrator)
  @ApiOperation({ summary: 'Cancel a delivery that has not finished (PD4.5)' })
  cancel(@TenantId() tenantId: string, @Param('id') id: string, @EmptyBody() _body: object | undefined): Promise<DeliveryView> {
    return this.deliveries.cancel(tenantId, parseNamed('id', deliveryId, id));
  }

  private baseUrl(request: FastifyRequest): string {
    return (this.config.PUBLIC_BASE_URL ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  }
}
