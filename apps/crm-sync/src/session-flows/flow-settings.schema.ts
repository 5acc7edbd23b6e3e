import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { CRM_RETRY_POLICIES } from '../crm-calls/retry-policy';
import { lookupUrlSettingsSchema } from '../lookup-urls/lookup-url-settings.schema';
import { COMMENT_EVENTS, COMMENT_FORMATS } from './record-comments';

/** CS2.5: events besides the session's end on which the record's subject and description are updated. */
export const UPDATE_EVENTS = ['csat', 'queue_selected'] as const;
export type UpdateEvent = (typeof UPDATE_EVENTS)[number];

const distinct = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .array(z.enum(values))
    .refine((list) => new Set(list).size === list.length, 'names each event once');

/** The body of `PUT /crm/session-flows/settings`; every field has a default. */
export const flowSettingsSchema = closed({
  /** CS2.8: `source` retries a 400 with back-off for a week; `standard` retries 408/429/5xx/network failures, honouring Retry-After. */
  retryPolicy: z.enum(CRM_RETRY_POLICIES).default('source'),
  /** CS4.2: create the record only once an agent is assigned (so {AGENT_*} resolve); abandoned sessions get it at their end. */
  delayRecordUntilAgentAssigned: z.boolean().default(false),
  /** CS2.7: the events a record is commented on, and the comments' format. */
  comments: closed({ events: distinct(COMMENT_EVENTS).default([...COMMENT_EVENTS]), format: z.enum(COMMENT_FORMATS).default('text') }).default({
    events: [...COMMENT_EVENTS],
    format: 'text',
  }),
  /** CS2.5: update the record on these events too (it is always updated when the session ends). */
  updateRecordOn: distinct(UPDATE_EVENTS).default([]),
  lookupUrls: lookupUrlSettingsSchema.default({ openCustomUrlWhenNotFound: [] }),
});

export type FlowSettings = z.output<typeof flowSettingsSchema>;

export const DEFAULT_FLOW_SETTINGS: FlowSettings = flowSettingsSchema.parse({});

export const flowSettingsExample: z.input<typeof flowSettingsSchema> = {
  retryPolicy: 'standard',
  delayRecordUntilAgentAssigned: true,
  comments: { events: ['session_start', 'session_end', 'csat', 'disposition'], format: 'html' },
  updateRecordOn: ['csat'],
  lookupUrls: {
    ivrTemplate: 'https://crm.example.com/lookup?phone={ANI}&type={TYPE}&session={SESSION_ID}',
    sdkTemplate: 'https://crm.example.com/lookup?email={EMAIL}&cuid={CUID}&channel={CHANNEL}',
    openCustomUrlWhenNotFound: [{ queueId: '8469', url: 'https://crm.example.com/contacts/new?phone={PHONE_NUMBER}&temp={ACCOUNT_ID}' }],
  },
};
