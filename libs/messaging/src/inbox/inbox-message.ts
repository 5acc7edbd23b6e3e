import { CloudEvent } from '@switchboard/contracts';
import { IHeaders, KafkaMessage } from 'kafkajs';

/** Where a consumed event came from; handlers get it next to the event. */
export interface InboxMessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

/** A Kafka message the consumer has read, with the event it holds once that passed the contract. */
export interface InboxMessage {
  meta: InboxMessageMeta;
  raw: string;
  keyBytes: Buffer | null;
}

export interface ParsedInboxMessage extends InboxMessage {
  event: CloudEvent;
}

export function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return result;
}

export function inboxMessageOf(topic: string, partition: number, message: KafkaMessage): InboxMessage {
  return {
    meta: { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, headers: headerMap(message.headers) },
    raw: message.value?.toString('utf8') ?? '',
    keyBytes: message.key,
  };
}
