export * from './service-platform.module';
export * from './start-service';
export * from './tenant-signature/tenant-signature.guard';
