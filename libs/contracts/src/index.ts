export * from './topics';
export * from './events/cloud-event';
export * from './events/event-catalog';
export * from './events/topic-contract';
export * from './agent/agent-events';
export * from './crm/record-pops';
export * from './proactive/delivery-events';
export * from './catalog';
