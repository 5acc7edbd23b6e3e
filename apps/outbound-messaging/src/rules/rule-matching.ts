import type { RuleCondition, RuleContactFields } from './rules.schema';
import { readEventPath } from './event-paths';

/** Every condition holds: the field's value is one of the listed ones, letter case ignored. */
export function conditionsHold(conditions: readonly RuleCondition[], data: unknown): boolean {
  return conditions.every((condition) => {
    const value = readEventPath(data, condition.field)?.toLowerCase();
    return value !== undefined && condition.in.some((accepted) => accepted.toLowerCase() === value);
  });
}

export type RuleContact = { ok: true; entry: Record<string, unknown> } | { ok: false; reason: string };

/**
 * The ContactList entry (OM3.1) an event gives a rule: its fields read from the event's data. The
 * customer agreed to be contacted when the rule was set up, so `option` is true; the channel is the
 * configuration's. The entry is judged as an invoke contact would be (decideContact).
 */
export function contactFromEvent(fields: RuleContactFields, channelType: string, data: unknown): RuleContact {
  const required = { tocontactid: fields.tocontactid, CustomerName: fields.CustomerName, CaseName: fields.CaseName };
  const missing = Object.entries(required).filter(([, path]) => readEventPath(data, path) === undefined);
  if (missing.length > 0) return { ok: false, reason: missing.map(([field, path]) => `${field} comes from the event's ${path}, which has no value`).join('; ') };
  const contextitems: Record<string, string> = {};
  for (const [key, path] of Object.entries(fields.contextitems)) {
    const value = readEventPath(data, path);
    if (value !== undefined) contextitems[key] = value;
  }
  const locale = readEventPath(data, fields.locale);
  return {
    ok: true,
    entry: {
      tocontactid: readEventPath(data, fields.tocontactid),
      channelid: channelType,
      option: true,
      CustomerName: readEventPath(data, fields.CustomerName),
      CaseName: readEventPath(data, fields.CaseName),
      contextitems,
      ...(locale !== undefined && { locale }),
      ...(fields.entityrelationshipname !== undefined && { entityrelationshipname: fields.entityrelationshipname }),
    },
  };
}
