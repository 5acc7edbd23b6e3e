import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ProviderDeliveryReport, ProviderInboundMessage } from '../messaging-provider';
import { accepted, rejected, type WebhookReading } from '../webhook-reading';

/** An Event Grid webhook request as it arrived. */
export interface EventGridWebhookRequest {
  /** The URL Event Grid called, with its query (the subscription's secret is in `code`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What one Event Grid batch carried for us; other event types are left out. */
export interface AcsEventBatch {
  /** With the `Tag` we sent (our clientReference), when ACS echoed it. */
  deliveryReports: Array<ProviderDeliveryReport & { clientReference?: string }>;
  inboundMessages: ProviderInboundMessage[];
}

/** Event Grid's subscription validation handshake: answer 200 with `{ validationResponse }`. */
export type AcsWebhookReading = WebhookReading<AcsEventBatch> | { outcome: 'validation'; validationResponse: string };

const eventSchema = z.object({ id: z.string(), eventType: z.string(), eventTime: z.string(), data: z.record(z.string(), z.unknown()) });
const validationData = z.object({ validationCode: z.string().min(1) });
const deliveryReportData = z.object({
  MessageId: z.string().min(1),
  DeliveryStatus: z.string(),
  DeliveryStatusDetails: z.string().optional(),
  ReceivedTimestamp: z.string().optional(),
  Tag: z.string().optional(),
});
const receivedData = z.object({ MessageId: z.string().min(1), From: z.string().min(1), To: z.string().min(1), Message: z.string(), ReceivedTimestamp: z.string().optional() });

/**
 * Reads an Event Grid delivery (Event Grid schema) for ACS SMS. Event Grid does not sign webhook requests;
 * its documented protection is a secret query parameter in the subscription's endpoint URL
 * (`https://…/webhooks/acs?code=<secret>`), checked here in constant time, validation handshakes included.
 * Then: `SubscriptionValidationEvent` → the handshake answer; `SMSDeliveryReportReceived` → delivery reports
 * (Delivered → delivered, Failed → failed with ACS's details); `SMSReceived` → inbound messages.
 */
export function readAcsEventGridRequest(secret: string, request: EventGridWebhookRequest): AcsWebhookReading {
  const presented = new URL(request.url, 'http://webhook').searchParams.get('code');
  if (!presented) return rejected(401, 'the Event Grid subscription secret (query parameter code) is missing');
  if (!sameSecret(presented, secret)) return rejected(403, 'the Event Grid subscription secret is wrong');
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return rejected(400, 'the body is not JSON');
  }
  const events = z.array(eventSchema).min(1).safeParse(parsed);
  if (!events.success) return rejected(400, 'the body is not an array of Event Grid schema events');

  const validation = events.data.find((event) => event.eventType === 'Microsoft.EventGrid.SubscriptionValidationEvent');
  if (validation) {
    const data = validationData.safeParse(validation.data);
    return data.success ? { outcome: 'validation', validationResponse: data.data.validationCode } : rejected(400, 'the validation event has no validationCode');
  }
  const batch: AcsEventBatch = { deliveryReports: [], inboundMessages: [] };
  for (const event of events.data) {
    const problem = addEvent(batch, event);
    if (problem) return rejected(400, `event ${event.id}: ${problem}`);
  }
  return accepted(batch);
}

function addEvent(batch: AcsEventBatch, event: z.infer<typeof eventSchema>): string | undefined {
  if (event.eventType === 'Microsoft.Communication.SMSDeliveryReportReceived') {
    const data = deliveryReportData.safeParse(event.data);
    if (!data.success) return 'a delivery report needs MessageId and DeliveryStatus';
    const delivered = data.data.DeliveryStatus.toLowerCase() === 'delivered';
    batch.deliveryReports.push({
      providerMessageId: data.data.MessageId,
      status: delivered ? 'delivered' : 'failed',
      ...(delivered ? {} : { errorCode: data.data.DeliveryStatus, errorMessage: data.data.DeliveryStatusDetails ?? data.data.DeliveryStatus }),
      occurredAt: timeOf(data.data.ReceivedTimestamp, event.eventTime),
      ...(data.data.Tag ? { clientReference: data.data.Tag } : {}),
    });
  }
  if (event.eventType === 'Microsoft.Communication.SMSReceived') {
    const data = receivedData.safeParse(event.data);
    if (!data.success) return 'a received SMS needs MessageId, From, To and Message';
    batch.inboundMessages.push({ providerMessageId: data.data.MessageId, channel: 'sms', from: data.data.From, to: data.data.To, body: data.data.Message, receivedAt: timeOf(data.data.ReceivedTimestamp, event.eventTime) });
  }
  return undefined;
}

function timeOf(primary: string | undefined, fallback: string): Date {
  const date = new Date(primary ?? fallback);
  return Number.isNaN(date.getTime()) ? new Date(fallback) : date;
}

function sameSecret(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}
