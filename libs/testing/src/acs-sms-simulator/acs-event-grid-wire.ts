import { randomUUID } from 'node:crypto';

/** Event Grid schema events as Azure Communication Services publishes them for SMS. */

export const SMS_DELIVERY_REPORT_RECEIVED = 'Microsoft.Communication.SMSDeliveryReportReceived';
export const SMS_RECEIVED = 'Microsoft.Communication.SMSReceived';
export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

export interface EventGridEvent<TData = Record<string, unknown>> {
  id: string;
  topic: string;
  subject: string;
  data: TData;
  eventType: string;
  dataVersion: string;
  metadataVersion: '1';
  eventTime: string;
}

export const ACS_SIMULATED_TOPIC =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/switchboard/providers/Microsoft.Communication/communicationServices/acs-simulator';

export function eventGridEvent<TData>(eventType: string, subject: string, data: TData, dataVersion = '1.0'): EventGridEvent<TData> {
  return { id: randomUUID(), topic: ACS_SIMULATED_TOPIC, subject, data, eventType, dataVersion, metadataVersion: '1', eventTime: new Date().toISOString() };
}

/** An ACS message id: `Outgoing_<yyyyMMddHHmmss><guid>_noam` (or Incoming_ for received messages). */
export function acsMessageId(direction: 'Outgoing' | 'Incoming', at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${direction}_${stamp}${randomUUID()}_noam`;
}

/** ACS's error body for whole-request failures. */
export function acsError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
