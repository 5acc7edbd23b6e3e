export * from './job';
export * from './job-queue';
export { JobListFilter, JobStore, MAX_JOB_ERROR_LENGTH } from './job-store';
export * from './job-runner';
export * from './polling-loop';
export * from './nest/job-handler.decorator';
export * from './nest/jobs.module';
export * from './nest/jobs.service';
