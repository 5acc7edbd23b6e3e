import { validate } from '@switchboard/validation';
import { type CompiledTemplate, missingValuesReason, placeholderValues, type RenderedMessage, renderTemplate } from '../templates/template-rendering';
import { canonicalContact, type ContactEntry, contactSchema } from './invoke.schema';
import { recentPhoneNumbers } from './recent-phone-numbers';

/** What the invoke API needs of the configuration to judge a contact. */
export interface ConfigurationForContacts {
  id: string;
  channelType: 'sms' | 'whatsapp';
  showInTimeline: boolean;
  template: CompiledTemplate;
}

export type ContactDecision =
  | { kind: 'queue'; contact: ContactEntry; to: string; rendered: RenderedMessage }
  | { kind: 'skip'; contact: ContactEntry; to: string; reason: string }
  | { kind: 'reject'; problems: { field: string; message: string }[] };

/**
 * Judges one ContactList entry (OM3.1): its fields, their agreement with the configuration, consent
 * (`option: false` → skipped) and the template rendered in the contact's locale (OM1.2, OM1.3).
 */
export function decideContact(entry: unknown, configuration: ConfigurationForContacts): ContactDecision {
  const canonical = canonicalContact(entry);
  const parsed = canonical ? ({ ok: true, value: canonical } as const) : validate(contactSchema, entry, 'The contact');
  const raw = (entry as { tocontactid?: unknown } | null)?.tocontactid;
  const phone = typeof raw === 'string' ? recentPhoneNumbers.parse(raw) : undefined;
  // Every problem of the entry at once: its fields' shapes, its number, its agreement with the configuration.
  const problems = parsed.ok ? contextProblems(parsed.value, configuration) : parsed.errors.map((error) => ({ field: error.field, message: error.message }));
  if (phone && !phone.ok && !problems.some((problem) => problem.field === 'tocontactid')) problems.unshift({ field: 'tocontactid', message: `tocontactid ${phone.reason}` });
  if (!parsed.ok || !phone?.ok || problems.length > 0) return { kind: 'reject', problems };
  const contact = parsed.value;
  const to = phone.value.e164;
  if (!contact.option) return { kind: 'skip', contact, to, reason: 'option is false: the customer has not agreed to be contacted this way' };
  const rendered = renderTemplate(configuration.template, contact.locale, placeholderValues(contact));
  if (!rendered.ok) return { kind: 'reject', problems: [{ field: 'contextitems', message: `The ${rendered.locale} version of the template cannot be filled: ${missingValuesReason(rendered.missing)}` }] };
  const { ok: _ok, ...message } = rendered;
  return { kind: 'queue', contact, to, rendered: message };
}

function contextProblems(contact: ContactEntry, configuration: ConfigurationForContacts): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (contact.channelid !== configuration.channelType) {
    problems.push({ field: 'channelid', message: `channelid is ${contact.channelid} but configuration ${configuration.id} sends ${configuration.channelType}` });
  }
  if (contact.msdyn_ocoutboundconfigurationid !== undefined && contact.msdyn_ocoutboundconfigurationid !== configuration.id) {
    problems.push({ field: 'msdyn_ocoutboundconfigurationid', message: `msdyn_ocoutboundconfigurationid must equal the request's configuration ${configuration.id}` });
  }
  if (configuration.showInTimeline && contact.entityrelationshipname === undefined) {
    problems.push({ field: 'entityrelationshipname', message: 'entityrelationshipname is required: this configuration shows messages in the customer\'s timeline (OM2.2)' });
  }
  // The source: CustomerName "is not case-sensitive, and may throw an error if the customer name values differ".
  for (const name of ['CustomerName', 'CaseName'] as const) {
    const key = Object.keys(contact.contextitems ?? {}).find((item) => item.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : contact.contextitems?.[key];
    if (value !== undefined && value.trim().toLowerCase() !== contact[name].toLowerCase()) {
      problems.push({ field: `contextitems.${key}`, message: `contextitems.${key} differs from ${name}; give the value once` });
    }
  }
  return problems;
}
