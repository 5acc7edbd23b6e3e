import { CrmCaseEventTypes, Topics } from '@switchboard/contracts';
import { closed, lowerCaseGuid } from '@switchboard/validation';
import { z } from 'zod';
import { CONTEXT_LIMITS } from '../invoke/invoke.schema';
import { isPlaceholderName } from '../templates/placeholder-text';
import { isEventPath } from './event-paths';

export const RULE_LABEL = 'The automated rule';

/**
 * The topics automated rules can listen to, with their event types (OM4.1). Each has exactly one
 * consumer in this service (rule-events.consumer.ts).
 */
export const RULE_TOPICS = {
  [Topics.crmCaseEvents]: Object.values(CrmCaseEventTypes),
} as const satisfies Record<string, readonly string[]>;
export type RuleTopic = keyof typeof RULE_TOPICS;
const ruleTopicNames = Object.keys(RULE_TOPICS) as [RuleTopic, ...RuleTopic[]];

const eventPath = z.string().max(200).refine(isEventPath, 'must be a dotted path into the event\'s data, e.g. contact.phoneNumber');

export const conditionSchema = closed({
  /** A path into the event's data. */
  field: eventPath,
  /** The rule fires only when the field's value is one of these (letter case ignored). */
  in: z.array(z.string().min(1).max(200)).min(1).max(50),
});

/** Where each ContactList field (OM3.1) of the message comes from; the defaults read a CRM case event. */
export const contactFieldsSchema = closed({
  tocontactid: eventPath.default('contact.phoneNumber'),
  CustomerName: eventPath.default('contact.name'),
  CaseName: eventPath.default('caseNumber'),
  locale: eventPath.default('contact.locale'),
  /** Placeholder name → path; a path without a value leaves the item out. */
  contextitems: z
    .record(z.string().refine(isPlaceholderName, 'keys must be placeholder names'), eventPath)
    .refine((items) => Object.keys(items).length <= CONTEXT_LIMITS.items, `must hold at most ${CONTEXT_LIMITS.items} items`)
    .default({ caseTitle: 'title', caseStatus: 'status' }),
  /** A fixed value: required when the configuration shows messages in the timeline (OM2.2). */
  entityrelationshipname: z.string().trim().min(1).max(200).optional(),
});

/** The body of POST and PUT /outbound/rules (OM4.1). */
export const ruleSchema = closed({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  topic: z.enum(ruleTopicNames),
  eventType: z.string().min(1).max(200),
  conditions: z.array(conditionSchema).max(10).default([]),
  configurationId: lowerCaseGuid(),
  contact: contactFieldsSchema.prefault({}),
}).superRefine((rule, ctx) => {
  const types: readonly string[] = RULE_TOPICS[rule.topic] ?? [];
  if (!types.includes(rule.eventType)) ctx.addIssue({ code: 'custom', path: ['eventType'], message: `must be an event type of ${rule.topic}: ${types.join(', ')}` });
});
export type RuleInput = z.output<typeof ruleSchema>;
export type RuleCondition = z.output<typeof conditionSchema>;
export type RuleContactFields = z.output<typeof contactFieldsSchema>;

export const ruleExample: z.input<typeof ruleSchema> = {
  name: 'Case created SMS',
  topic: Topics.crmCaseEvents,
  eventType: CrmCaseEventTypes.created,
  conditions: [{ field: 'status', in: ['New'] }],
  configurationId: '761e062f-c734-ef11-8e4f-00224808a166',
  contact: { tocontactid: 'contact.phoneNumber', CustomerName: 'contact.name', CaseName: 'caseNumber', locale: 'contact.locale', contextitems: { caseTitle: 'title' } },
};

export interface RuleView extends RuleInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface RuleFiringView {
  id: string;
  eventId: string;
  eventType: string;
  /** queued | skipped | rejected */
  outcome: string;
  reason: string | null;
  messageId: string | null;
  createdAt: string;
}
