import type { z } from 'zod';

/**
 * A named queue of jobs whose payloads one zod schema describes: the payload is checked when a job is
 * scheduled and again when it is claimed, and a handler of the queue gets it typed.
 */
export interface JobQueue<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
}

const QUEUE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/** `defineJobQueue('storage-export.file', schema)`: dotted lower-case names, the service's name first. */
export function defineJobQueue<P>(name: string, payload: z.ZodType<P>): JobQueue<P> {
  if (!QUEUE_NAME.test(name)) throw new Error(`job queue name "${name}" must be dotted lower-case words, e.g. "crm-sync.outcome-email"`);
  return { name, payload };
}

export type JobPayloadOf<Q> = Q extends JobQueue<infer P> ? P : never;
