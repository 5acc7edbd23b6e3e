// Test code only (it imports the testing library and vitest): `@switchboard/platform/test-support`.
export * from './service-test-app';
export * from './refusals';
