import { closed, lowerCaseGuid, wholeNumber } from '@switchboard/validation';
import { z } from 'zod';
import { MAX_CONTACTS_PER_REQUEST } from '../invoke/invoke.schema';
import type { ContactResult } from '../invoke/invoke.schema';
import { isTimeZone } from './recurrence';

export const SCHEDULE_LABEL = 'The scheduled send';
const YEAR_SECONDS = 366 * 24 * 3600;

/**
 * The body of POST /outbound/schedules (OM4.3): the configuration and ContactList of an invoke request,
 * and exactly one of `at` (a time), `afterSeconds` (a duration from now) or `cron` (a recurrence in `timeZone`).
 */
export const scheduleSchema = closed({
  name: z.string().trim().min(1).max(100),
  configurationId: lowerCaseGuid(),
  ContactList: z.array(z.unknown()).min(1, 'must list at least one contact').max(MAX_CONTACTS_PER_REQUEST, `must list at most ${MAX_CONTACTS_PER_REQUEST} contacts`),
  at: z.iso.datetime({ offset: true }).optional(),
  afterSeconds: wholeNumber({ min: 1, max: YEAR_SECONDS }).optional(),
  cron: z.string().trim().min(1).max(100).optional(),
  /** The zone a cron recurrence is read in (IANA, e.g. Europe/Paris); default UTC. */
  timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
}).superRefine((schedule, ctx) => {
  const given = (['at', 'afterSeconds', 'cron'] as const).filter((field) => schedule[field] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: 'custom', path: given.length === 0 ? [] : [given[1]!], message: 'give exactly one of at, afterSeconds or cron' });
});
export type ScheduleInput = z.output<typeof scheduleSchema>;

export const scheduleExample: z.input<typeof scheduleSchema> = {
  name: 'Monday reminder',
  configurationId: '761e062f-c734-ef11-8e4f-00224808a166',
  cron: '0 9 * * MON',
  timeZone: 'Europe/Paris',
  ContactList: [{ tocontactid: '+33612345678', channelid: 'sms', option: true, locale: 'fr-FR', CustomerName: 'Camille Martin', CaseName: 'CAS-01043' }],
};

export interface ScheduleView {
  id: string;
  name: string;
  configurationId: string;
  /** once | cron */
  kind: string;
  cron: string | null;
  timeZone: string;
  /** active | completed | cancelled */
  status: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  ContactList: unknown[];
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleRunView {
  occurrence: string;
  firedAt: string;
  requestId: string;
  accepted: number;
  skipped: number;
  rejected: number;
  ContactList: ContactResult[];
}
