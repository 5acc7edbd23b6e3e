import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventConsumer, EventHandler, Subscription } from '../event-consumer';
import { consumerConfig } from '../kafka-client';
import { KafkaConnection } from './kafka-connection';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/**
 * Feature modules register their topic handlers here (in their constructor or onModuleInit); one
 * consumer per service, in the service's consumer group, starts once the application has booted.
 */
@Injectable()
export class EventSubscriptions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscriptions: Subscription[] = [];
  private consumer?: EventConsumer;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly connection: KafkaConnection,
  ) {}

  on(topic: string, handler: EventHandler): void {
    if (this.subscriptions.some((s) => s.topic === topic)) throw new Error(`A handler for ${topic} is already registered`);
    this.subscriptions.push({ topic, handler });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.subscriptions.length === 0) return;
    this.consumer = new EventConsumer({
      kafka: this.connection.kafka,
      consumerConfig: consumerConfig(this.options.kafka, this.options.consumerGroup ?? this.options.serviceName),
      dlqProducer: this.connection.producer,
      db: this.options.db,
      schema: this.options.schema,
      subscriptions: this.subscriptions,
      logger: this.connection.logger,
      retry: this.options.retry,
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
