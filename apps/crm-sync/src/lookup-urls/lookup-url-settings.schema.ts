import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { CUSTOM_LOOKUP_VARIABLES, lookupTemplateProblem, NOT_FOUND_URL_VARIABLES } from './custom-lookup-url';

const MAX_URL = 2_048;

/** A URL template for agents' browsers (not called by crm-sync, so no SSRF check): http(s), known variables only. */
const template = (variables: readonly string[]) =>
  z
    .string()
    .max(MAX_URL)
    .superRefine((value, ctx) => {
      const problem = lookupTemplateProblem(value, variables);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** CS5: the custom lookup URL templates and the per-queue "open custom URL when not found" pops. */
export const lookupUrlSettingsSchema = closed({
  /** IVR, PSTN and SMS sessions (CS5.1). */
  ivrTemplate: template(CUSTOM_LOOKUP_VARIABLES).optional(),
  /** Web and mobile SDK sessions (CS5.1). */
  sdkTemplate: template(CUSTOM_LOOKUP_VARIABLES).optional(),
  /** CS5.4: queues whose agents get this URL, with a temporary account id, when the contact is not found (no account is created). */
  openCustomUrlWhenNotFound: z
    .array(closed({ queueId: z.string().min(1).max(200), url: template(NOT_FOUND_URL_VARIABLES) }))
    .max(500)
    .refine((queues) => new Set(queues.map((queue) => queue.queueId)).size === queues.length, 'names each queue once')
    .default([]),
});

export type LookupUrlSettings = z.output<typeof lookupUrlSettingsSchema>;
