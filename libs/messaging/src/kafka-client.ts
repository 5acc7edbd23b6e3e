import { ConsumerConfig, Kafka, logLevel, LogEntry, ProducerConfig } from 'kafkajs';
import { KeyPartitioner } from './key-partitioner';
import { MessagingLogger } from './logger';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** On for real Kafka; off for librdkafka's mock broker, which cannot do idempotence (see toolchain facts). */
  idempotentProducer: boolean;
  /** Fetch wait: low values keep hops fast on the mock broker, which does not long-poll. */
  consumerMaxWaitMs: number;
  sessionTimeoutMs: number;
}

function kafkaLogCreator(logger: MessagingLogger) {
  return () => (entry: LogEntry) => {
    const { message, ...fields } = entry.log;
    const text = `kafka ${entry.namespace}: ${message}`;
    if (entry.level <= logLevel.ERROR) logger.error(text, fields);
    else if (entry.level === logLevel.WARN) logger.warn(text, fields);
    else logger.debug(text, fields);
  };
}

export function createKafka(settings: KafkaSettings, logger: MessagingLogger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
}

export function producerConfig(settings: KafkaSettings): ProducerConfig {
  return {
    idempotent: settings.idempotentProducer,
    maxInFlightRequests: settings.idempotentProducer ? 1 : undefined,
    allowAutoTopicCreation: true,
    // The Java client's partitioning (murmur2 of the key), so a key lands on the same partition from any client.
    createPartitioner: KeyPartitioner,
  };
}

export function consumerConfig(settings: KafkaSettings, groupId: string): ConsumerConfig {
  return {
    groupId,
    maxWaitTimeInMs: settings.consumerMaxWaitMs,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 5)),
    rebalanceTimeout: Math.max(settings.sessionTimeoutMs, 10_000),
    allowAutoTopicCreation: true,
  };
}
