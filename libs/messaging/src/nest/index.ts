export * from './messaging.options';
export * from './messaging.module';
export * from './kafka-connection';
export * from './outbox-publisher';
export * from './event-subscriptions';
export * from './nest-logger-adapter';
