/** The reference CRM's data: accounts, records (belonging to accounts), comments and attachments (belonging to records). */

export type CrmFields = Record<string, unknown>;

export interface SimulatedAccount extends CrmFields {
  id: string;
}

export interface SimulatedRecord extends CrmFields {
  id: string;
  accountId: string;
}

export interface SimulatedComment {
  id: string;
  recordId: string;
  fields: CrmFields;
}

export interface SimulatedAttachment {
  id: string;
  recordId: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export class CrmSimulatorStore {
  readonly accounts = new Map<string, SimulatedAccount>();
  readonly records = new Map<string, SimulatedRecord>();
  readonly comments: SimulatedComment[] = [];
  readonly attachments = new Map<string, SimulatedAttachment>();
  private sequence = 1000;

  nextId(prefix: string): string {
    return `${prefix}${++this.sequence}`;
  }

  addAccount(fields: CrmFields): SimulatedAccount {
    const account = { ...fields, id: this.nextId('acc_') };
    this.accounts.set(account.id, account);
    return account;
  }

  addRecord(accountId: string, fields: CrmFields): SimulatedRecord {
    const record = { status: 'open', ...fields, id: this.nextId('rec_'), accountId };
    this.records.set(record.id, record);
    return record;
  }
}

/**
 * Whether a row matches a search: every query field must match (case-insensitive, `*` matches any
 * run of characters, as in CS1.2's `*222*333*4444`), and `criteria` in Zoho's form
 * `(Field:equals:value) or (Field:equals:value)` (or `and`) must hold.
 */
export function matchesSearch(row: CrmFields, query: URLSearchParams): boolean {
  for (const [field, wanted] of query) {
    if (field === 'criteria' ? !matchesCriteria(row, wanted) : !matchesValue(row[field], wanted)) return false;
  }
  return true;
}

function matchesValue(actual: unknown, wanted: string): boolean {
  if (actual === undefined || actual === null) return false;
  const pattern = wanted
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 'i').test(String(actual));
}

const CRITERION = /^\(([^:()]+):equals:(.*)\)$/;

/** Zoho's search criteria, without nesting: terms joined by all "or" or all "and". */
function matchesCriteria(row: CrmFields, criteria: string): boolean {
  const all = criteria.includes(') and (');
  const terms = criteria.trim().split(all ? ') and (' : ') or (');
  const results = terms.map((term, index) => {
    const whole = `${index === 0 ? '' : '('}${term}${index === terms.length - 1 ? '' : ')'}`;
    const match = CRITERION.exec(whole);
    if (!match) throw new CriteriaError(`"${whole}" is not (Field:equals:value)`);
    const field = (match[1] ?? '').toLowerCase();
    const key = Object.keys(row).find((candidate) => candidate.toLowerCase() === field);
    return key !== undefined && matchesValue(row[key], match[2] ?? '');
  });
  return all ? results.every(Boolean) : results.some(Boolean);
}

export class CriteriaError extends Error {}

/**
 * The fields a create or update body carries, in any of the engine's body formats (CS2.1):
 * properties `{…}`, a map container `{name: {…}}` or an array container `{name: [{…}]}`.
 */
export function fieldsOfBody(body: unknown): CrmFields | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const entries = Object.entries(body);
  if (entries.length === 1) {
    const inner = entries[0]?.[1];
    if (Array.isArray(inner) && inner.length === 1 && isPlainObject(inner[0])) return inner[0] as CrmFields;
    if (isPlainObject(inner)) return inner as CrmFields;
  }
  return body as CrmFields;
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
