export * from './logger';
export * from './retry-policy';
export * from './kafka-client';
export * from './outbox';
export * from './outbox-relay';
export * from './event-consumer';
export * from './dlq-replay';
export * from './nest';
