// Framework-free: usable from tools (tsx) and from tests alike.
import './provided-context';
export * from './container-runtime';
export * from './containers';
export * from './infra-picker';
export * from './kafka-brokers';
export * from './kafka-mock';
export * from './npm-kafka-mock';
export * from './local-kafka';
export * from './embedded-postgres';
export * from './outbox-rows';
export * from './postgres-server';
export * from './test-database';
export * from './unique-topic';
// What tests call: testInfra() and createTestDatabase() read what global-setup.ts published, without importing
// vitest, so tools (tsx compiles them to CommonJS, where vitest's entry throws) can import this index safely.
export * from './test-infra';
export * from './eventually';
export * from './slow-client';
export * from './headless-chromium';
export * from './sse-client';
export * from './dataverse-simulator';
export * from './crm-simulator';
export * from './smtp-peer';
export * from './messaging-simulator-kit';
export * from './twilio-simulator';
export * from './acs-sms-simulator';
export * from './sftp-server';
export * from './s3-server';
export * from './gcs-simulator';
