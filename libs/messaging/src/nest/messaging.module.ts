import { DynamicModule, FactoryProvider, Global, Module, ModuleMetadata } from '@nestjs/common';
import { EventSubscriptions } from './event-subscriptions';
import { KafkaConnection } from './kafka-connection';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { OutboxPublisher } from './outbox-publisher';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
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
        EventSubscriptions,
      ],
      exports: [KafkaConnection, OutboxPublisher, EventSubscriptions],
    };
  }
}
