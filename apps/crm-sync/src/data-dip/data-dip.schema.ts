import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { type CallerNumber, callerNumberOf } from './caller-number';

/** The body of `POST /crm/dynamics/data-dip`: the caller's ANI as the IVR received it. */
export const dataDipRequestSchema = closed({
  ani: z
    .string()
    .max(32)
    .transform((raw, ctx): CallerNumber => {
      const caller = callerNumberOf(raw);
      if (caller) return caller;
      ctx.addIssue({ code: 'custom', message: 'must be the caller\'s number in international format, such as +12125550123' });
      return z.NEVER;
    }),
});

export type DataDipRequest = z.output<typeof dataDipRequestSchema>;
