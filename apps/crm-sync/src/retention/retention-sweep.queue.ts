import { defineJobQueue } from '@switchboard/jobs';
import { z } from 'zod';

/** How often stored session data is swept. */
export const SWEEP_EVERY_MS = 60 * 60_000;

/** One sweep per hour: the job of each hour is keyed by its start, and each sweep schedules the next. */
export const retentionSweepQueue = defineJobQueue('crm-sync.retention-sweep', z.object({}));

export function sweepKeyAt(at: Date): string {
  return `sweep/${new Date(Math.floor(at.getTime() / SWEEP_EVERY_MS) * SWEEP_EVERY_MS).toISOString()}`;
}
