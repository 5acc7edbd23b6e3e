export * from './callee-time-zones';
export * from './phone-number';
