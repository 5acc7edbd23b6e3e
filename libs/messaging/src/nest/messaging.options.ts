import { TransactionRunner } from '@switchboard/persistence';
import { KafkaSettings } from '../kafka-client';
import { RetryPolicy } from '../retry-policy';

export interface MessagingModuleOptions {
  /** The service name: Kafka client id, CloudEvent source and consumer group. */
  serviceName: string;
  /** Consumer group of the service's consumer; the service name unless set. */
  consumerGroup?: string;
  /** Postgres schema holding this service's outbox_event and inbox_event tables. */
  schema: string;
  kafka: KafkaSettings;
  db: TransactionRunner;
  retry?: RetryPolicy;
  relayPollIntervalMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
