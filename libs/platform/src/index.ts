export * from './service-platform.module';
