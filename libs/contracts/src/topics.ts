/**
 * Every Kafka topic in the system, named `<domain>.<entity>.v<major>` (P3.1). A breaking change to a
 * topic's payloads means a new major version and a new topic, never an edit in place.
 */
export const Topics = {
  agentEvents: 'agent.events.v1',
  crmRecordPops: 'crm.record-pops.v1',
  crmCaseEvents: 'crm.case-events.v1',
  proactiveDelivery: 'proactive.delivery.v1',
  contactSession: 'contact.session.v1',
  storageExport: 'storage.export.v1',
  outboundMessage: 'outbound.message.v1',
  conversationInbound: 'conversation.inbound.v1',
  messagingConsent: 'messaging.consent.v1',
  voiceConsent: 'voice.consent.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Where a consumer parks a message it could not process after bounded retries (P3.3). */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith('.dlq');
}

export function originalTopicOfDlq(dlq: string): string {
  if (!isDlqTopic(dlq)) throw new Error(`${dlq} is not a DLQ topic`);
  return dlq.slice(0, -'.dlq'.length);
}
