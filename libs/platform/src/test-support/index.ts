// For tests only (the lint boundaries keep it out of production code): a whole service started in-process.
export * from './service-test-app';
