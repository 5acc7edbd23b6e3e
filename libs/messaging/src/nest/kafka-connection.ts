import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { createKafka, producerConfig } from '../kafka-client';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { nestMessagingLogger } from './nest-logger-adapter';

/** One Kafka client and one shared producer per service process. */
@Injectable()
export class KafkaConnection implements OnModuleInit, OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly logger = nestMessagingLogger('Kafka');

  constructor(@Inject(MESSAGING_OPTIONS) readonly options: MessagingModuleOptions) {
    this.kafka = createKafka(options.kafka, this.logger);
    this.producer = this.kafka.producer(producerConfig(options.kafka));
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  /** Readiness: the cluster answers a metadata request. */
  async checkReady(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
