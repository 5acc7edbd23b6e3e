export * from './crm-simulator';
export * from './crm-simulator-store';
