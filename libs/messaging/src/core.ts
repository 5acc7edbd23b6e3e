// The framework-free part of the library, for tools run under tsx (which cannot compile Nest's decorators).
export * from './logger';
export * from './retry-policy';
export * from './kafka-client';
export * from './key-partitioner';
export * from './outbox';
export * from './outbox-relay';
export * from './inbox/inbox-message';
export * from './inbox/inbox-consumer';
export * from './dlq-replay';
