/**
 * Request validation with zod: one wording for every issue, 400s that name each offending field,
 * and decorators with which one schema both validates and documents a request (OpenAPI).
 */
export * from './issue-wording';
export * from './field-errors';
export * from './closed';
export * from './openapi-schema';
export * from './phone-number-field';
export * from './named-input';
export * from './resource-params';
export * from './query-integer';
export * from './whole-number';
export * from './parse-with';
export * from './zod-body';
export * from './zod-query';
export * from './request-body-content';
export { checkDocumentedExamples } from './body-examples';
