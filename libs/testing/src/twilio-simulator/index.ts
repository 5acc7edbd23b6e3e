export * from './twilio-signature';
export * from './twilio-simulator';
export * from './twilio-wire';
