export * from './crm-simulator';
export * from './crm-simulator-store';
export * from './crm-oauth-server';
export * from './crm-simulator-endpoints';
export * from './crm-idempotency';
