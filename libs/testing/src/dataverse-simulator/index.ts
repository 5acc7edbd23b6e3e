export * from './dataverse-sample-data';
export * from './dataverse-simulator';
export * from './odata-query';
