export * from './service-platform.module';
export * from './start-service';
