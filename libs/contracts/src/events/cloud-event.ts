import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** CloudEvents 1.0 JSON envelope (P3.2) with Switchboard's extension attributes. */
export const cloudEventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(500),
  type: z.string().min(1).max(200),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(500),
  datacontenttype: z.literal('application/json'),
  /** Extension attribute: the tenant (organization) the event belongs to. */
  tenantid: z.string().min(1).max(100),
  /** Extension attribute: ties together everything caused by one inbound request. */
  correlationid: z.string().max(200).optional(),
  data: z.unknown(),
});

export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelopeSchema>;

export interface CloudEvent<TType extends string = string, TData = unknown> extends CloudEventEnvelope {
  type: TType;
  data: TData;
}

export interface NewCloudEvent<TType extends string, TData> {
  type: TType;
  source: string;
  subject: string;
  tenantId: string;
  data: TData;
  id?: string;
  time?: Date;
  correlationId?: string;
}

export function createCloudEvent<TType extends string, TData>(input: NewCloudEvent<TType, TData>): CloudEvent<TType, TData> {
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    subject: input.subject,
    datacontenttype: 'application/json',
    tenantid: input.tenantId,
    ...(input.correlationId ? { correlationid: input.correlationId } : {}),
    data: input.data,
  };
}
