import { z } from 'zod';
import { defineTopic } from '../events/topic-contract';
import { Topics } from '../topics';

/** Longest record URL accepted: browsers and proxies handle 2,048 characters everywhere. */
export const MAX_RECORD_URL_LENGTH = 2_048;

/**
 * The URL an agent page loads into its CRM frame (EB3.2). Only http and https: the page assigns it to an
 * iframe's `src`, where `javascript:` or `data:` would run script inside the CRM page.
 */
export const recordUrlSchema = z
  .string()
  .max(MAX_RECORD_URL_LENGTH)
  // URL parsers silently drop tabs and line breaks; a URL that carries them is refused, not rewritten.
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u0020\u007f]+$/, 'must not contain spaces or control characters')
  .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.hostname, error: 'must be an absolute http or https URL' }));

/**
 * `CRM_Record_Pop` (EB1.2 "server side", EB3.1): open a CRM record on one agent's screen. The tenant is the
 * CloudEvent's `tenantid`; the agent is the id the agent's token carries as `sub`.
 */
export const crmRecordPopSchema = z.object({
  agentId: z.string().min(1).max(200),
  /** The call, chat or screen-share session the record belongs to, when there is one. */
  sessionId: z.string().min(1).max(200).optional(),
  recordUrl: recordUrlSchema,
  /** The CRM's name for the record's kind (ticket, contact, account, …). */
  recordType: z.string().min(1).max(100).optional(),
  recordId: z.string().min(1).max(200).optional(),
});

export type CrmRecordPop = z.infer<typeof crmRecordPopSchema>;

export const CrmRecordPopEventTypes = {
  recordPop: 'switchboard.crm.CRM_Record_Pop',
} as const;

/** `crm.record-pops.v1`: screen pops for agent pages, produced by crm-sync, keyed by agent id. */
export const crmRecordPopsTopic = defineTopic(Topics.crmRecordPops, {
  [CrmRecordPopEventTypes.recordPop]: crmRecordPopSchema,
});
