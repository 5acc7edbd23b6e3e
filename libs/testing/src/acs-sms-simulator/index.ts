export * from './acs-event-grid-wire';
export * from './acs-hmac';
export * from './acs-sms-simulator';
