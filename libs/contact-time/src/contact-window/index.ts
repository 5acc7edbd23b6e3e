export * from './clock-time';
export * from './contact-hours-description';
export * from './local-hours';
export * from './permitted-intervals';
export * from './utc-interval';
