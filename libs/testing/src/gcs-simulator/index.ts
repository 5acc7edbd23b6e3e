export * from './gcs-oauth';
export * from './gcs-simulator';
export * from './gcs-wire';
