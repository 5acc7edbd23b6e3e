import { closed, lowerCaseGuid } from '@switchboard/validation';
import { z } from 'zod';
import { compileFastCheck } from '@switchboard/contracts';
import { isPlaceholderName, PLACEHOLDER_NAME } from '../templates/placeholder-text';

/** OM3.2: the source's limits. */
export const MAX_CONTACTS_PER_REQUEST = 100;
export const CONTEXT_LIMITS = { items: 50, valueLength: 1_000 } as const;

/**
 * The body of the invoke API (OM3.1): the configuration and up to 100 contacts. Each contact is
 * checked on its own (contactSchema) so one bad entry rejects that contact, not the request.
 */
export const invokeRequestSchema = closed({
  msdyn_ocoutboundconfigurationid: lowerCaseGuid(),
  ContactList: z
    .array(z.unknown())
    .min(1, 'must list at least one contact')
    .max(MAX_CONTACTS_PER_REQUEST, {
      error: (issue) => `holds ${(issue.input as unknown[]).length} contacts; at most ${MAX_CONTACTS_PER_REQUEST} are accepted per request: send them in batches of ${MAX_CONTACTS_PER_REQUEST}`,
    }),
});
export type InvokeRequest = z.output<typeof invokeRequestSchema>;

/** The record's rules beyond its keys' and values' shapes (shared by contactSchema and canonicalContact). */
const withinItemLimit = (items: Record<string, unknown>) => Object.keys(items).length <= CONTEXT_LIMITS.items;
const keysDistinctInAnyCase = (items: Record<string, unknown>) => new Set(Object.keys(items).map((key) => key.toLowerCase())).size === Object.keys(items).length;

/** Power Automate may send booleans as text ("True"). */
const flowBoolean = z.union([z.boolean(), z.string().regex(/^(true|false)$/i, 'must be true or false').transform((text) => text.toLowerCase() === 'true')]);
const contextValue = z.union([z.string().max(CONTEXT_LIMITS.valueLength), z.number(), z.boolean()]).transform(String);

/** One entry of ContactList, with the field names of the source (OM3.1). */
export const contactSchema = closed({
  tocontactid: z.string().min(1).max(40),
  channelid: z.string().regex(/^(sms|whatsapp)$/i, 'must be sms or whatsapp').transform((text) => text.toLowerCase() as 'sms' | 'whatsapp'),
  option: flowBoolean,
  locale: z.string().max(35).optional(),
  contextitems: z
    .record(z.string().refine(isPlaceholderName, 'keys must be placeholder names (a letter, then letters, digits or _; at most 64)'), contextValue)
    .refine(withinItemLimit, `must hold at most ${CONTEXT_LIMITS.items} items`)
    .refine(keysDistinctInAnyCase, 'must name each key once, whatever its letter case')
    .optional(),
  entityrelationshipname: z.string().trim().min(1).max(200).optional(),
  msdyn_ocoutboundconfigurationid: lowerCaseGuid().optional(),
  CustomerName: z.string().trim().min(1).max(200),
  CaseName: z.string().trim().min(1).max(200),
});
export type ContactEntry = z.output<typeof contactSchema>;

/** Text that trim() leaves as it is: no white space (String.prototype.trim's set is \s's) at either end. */
const TRIMMED = /^(?!\s)[\s\S]*(?<!\s)$/;
const trimmedName = z.string().min(1).max(200).regex(TRIMMED);

/**
 * contactSchema's inputs that it returns unchanged (lower-case channel and GUID, a real boolean, text values, names
 * without surrounding spaces): what Power Automate and most callers send. Compiled into a fast check (a few
 * comparisons instead of zod's parse, which cost ~5x as much per contact); anything else goes to contactSchema,
 * which also words every rejection. The refinements no fast check can read are run by canonicalContact.
 */
const canonicalContactSchema = z.object({
  tocontactid: z.string().min(1).max(40),
  channelid: z.enum(['sms', 'whatsapp']),
  option: z.boolean(),
  locale: z.string().max(35).optional(),
  contextitems: z.record(z.string().regex(PLACEHOLDER_NAME), z.string().max(CONTEXT_LIMITS.valueLength)).optional(),
  entityrelationshipname: trimmedName.optional(),
  msdyn_ocoutboundconfigurationid: z.guid().regex(/^[^A-F]*$/).optional(),
  CustomerName: trimmedName,
  CaseName: trimmedName,
});
const canonicalContactCheck = compileFastCheck(canonicalContactSchema);

/** The entry itself when contactSchema would accept it and answer an equal value; undefined: ask contactSchema. */
export function canonicalContact(entry: unknown): ContactEntry | undefined {
  if (!canonicalContactCheck?.accepts(entry)) return undefined;
  const items = (entry as { contextitems?: Record<string, string> }).contextitems;
  if (items && !(Object.keys(items).every(isPlaceholderName) && withinItemLimit(items) && keysDistinctInAnyCase(items))) return undefined;
  return entry as ContactEntry;
}

export const invokeExample = {
  msdyn_ocoutboundconfigurationid: '761e062f-c734-ef11-8e4f-00224808a166',
  ContactList: [
    {
      tocontactid: '+14155552671',
      channelid: 'sms',
      option: true,
      locale: 'fr-CA',
      contextitems: { ticketUrl: 'https://support.example.com/t/1042' },
      entityrelationshipname: 'incident_msdyn_ocoutboundmessages',
      CustomerName: 'Dana Levi',
      CaseName: 'CAS-01042',
    },
  ],
};

export type ContactStatus = 'accepted' | 'skipped' | 'rejected';

/** One contact's line of the answer (OM3.2). */
export interface ContactResult {
  index: number;
  tocontactid: unknown;
  status: ContactStatus;
  messageId?: string;
  reason?: string;
}

export interface InvokeResponse {
  '@odata.context': string;
  requestId: string;
  accepted: number;
  skipped: number;
  rejected: number;
  ContactList: ContactResult[];
}
