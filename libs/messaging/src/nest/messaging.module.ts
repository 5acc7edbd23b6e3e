import { DynamicModule, FactoryProvider, Global, Module, ModuleMetadata } from '@nestjs/common';
import { consumerConfig } from '../kafka-client';
import { KafkaConnection } from './kafka-connection';
import { KafkaInboxTransport } from './kafka-inbox.transport';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { OutboxPublisher } from './outbox-publisher';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

function inboxTransport(options: MessagingModuleOptions, connection: KafkaConnection): KafkaInboxTransport {
  return new KafkaInboxTransport({
    kafka: connection.kafka,
    consumerConfig: consumerConfig(options.kafka, options.consumerGroup ?? options.serviceName),
    dlqProducer: connection.producer,
    transaction: options.transaction,
    schema: options.schema,
    logger: connection.logger,
    retry: options.retry,
    catalog: options.catalog,
    ...options.consumer,
  });
}

@Global()
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        KafkaConnection,
        OutboxPublisher,
        { provide: KafkaInboxTransport, inject: [MESSAGING_OPTIONS, KafkaConnection], useFactory: inboxTransport },
      ],
      exports: [KafkaConnection, OutboxPublisher, KafkaInboxTransport],
    };
  }
}
