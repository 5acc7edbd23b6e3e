export * from './destination-settings';
export * from './open-destination';
export * from './storage-destination';
export * from './destinations.module';
