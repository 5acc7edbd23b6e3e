import { closed } from '@switchboard/validation';
import { z } from 'zod';
import type { CrmRequest } from './crm-request';
import type { CrmEndpointKind } from './crm-endpoint';
import { CRM_VARIABLES } from './crm-variables';

/** The body of `POST /crm/custom/dry-run`: a sample session's variables (CS3.1), and whether to really call the CRM. */
export const dryRunSchema = closed({
  variables: z.partialRecord(z.enum(CRM_VARIABLES), z.string().max(4096)).default({}),
  execute: z.boolean().default(false),
});

export type DryRunInput = z.output<typeof dryRunSchema>;

export const dryRunExample: z.input<typeof dryRunSchema> = {
  variables: { NAME: 'Kim Lee', PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example', SESSION_ID: '8c2f1a9e', TICKET_SUBJECT: 'Inbound call' },
  execute: false,
};

/** One step of a dry run: the request (authentication redacted), or the variable it waits for; when executed, the answer. */
export interface DryRunStep {
  endpoint: CrmEndpointKind;
  request?: CrmRequest;
  /** A variable the request needs that an earlier step provides (e.g. ACCOUNT_ID from the account step). */
  needs?: string;
  response?: { outcome: 'ok' | 'not_found' | 'failed'; status?: number; id?: string; error?: string; retryAfter?: string };
}

export interface DryRunAnswer {
  executed: boolean;
  steps: DryRunStep[];
  accountId?: string;
  recordId?: string;
  stoppedAt?: CrmEndpointKind;
}
