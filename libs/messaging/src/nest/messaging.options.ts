import { EventCatalog } from '@switchboard/contracts';
import { NotificationListener, SqlExecutor, TransactionRunner } from '@switchboard/persistence';
import { KafkaSettings } from '../kafka-client';
import { RetryPolicy } from '../retry-policy';

export interface ConsumerTuning {
  /** Most events applied in one transaction (default 500). */
  maxBatchSize?: number;
  /** Partitions worked on at once, each in order (default 1). */
  partitionsConsumedConcurrently?: number;
  /** How long inbox rows are kept (default 14 days; keep it above the broker's retention). */
  inboxRetentionHours?: number;
}

export interface MessagingModuleOptions {
  /** The service name: Kafka client id, CloudEvent source and consumer group. */
  serviceName: string;
  /** Consumer group of the service's consumer; the service name unless set. */
  consumerGroup?: string;
  /** Postgres schema holding this service's outbox_event and inbox_event tables. */
  schema: string;
  kafka: KafkaSettings;
  /** The service's transaction: outbox rows join the caller's, inbox rows and handler effects share one. */
  transaction: TransactionRunner<SqlExecutor>;
  /** The relay's rounds, which are plain SQL only: a lighter transaction than `transaction` where the service has one. */
  relayTransaction?: TransactionRunner<SqlExecutor>;
  retry?: RetryPolicy;
  /** The relay's fallback poll; with `listen` an idle relay is woken by commits anyway (default 1 s, 250 ms without). */
  relayPollIntervalMs?: number;
  /** LISTEN on the service's database, so the relay hears the outbox's commit notifications. */
  listen?: (channel: string, onNotify: () => void) => Promise<NotificationListener>;
  /** Awaited before each relay round: the relay gives way to the service's requests (BACKGROUND_YIELD_MS). */
  relayGiveWay?: () => Promise<unknown>;
  consumer?: ConsumerTuning;
  /** The contracts events are checked against; the platform's catalog unless set (tests re-home topics). */
  catalog?: EventCatalog;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
