import type { SessionType } from '@switchboard/contracts';
import type { SessionValues } from '../crm-engine/crm-variables';

/** The variables of a custom lookup URL (CS5.1); `{ANI}` is `{CUSTOMER_PHONE_NUMBER}` kept for compatibility. */
export const CUSTOM_LOOKUP_VARIABLES = [
  'CUSTOMER_PHONE_NUMBER',
  'ANI',
  'CUID',
  'EMAIL',
  'MENU_PATH',
  'MENU_ID',
  'CHANNEL',
  'TYPE',
  'SUPPORT_PHONE_NUMBER',
  'OUTBOUND_NUMBER',
  'SESSION_ID',
  'CUSTOM_AGENT_ID',
] as const;

/** The "open custom URL when not found" pop's variables (CS5.4). */
export const NOT_FOUND_URL_VARIABLES = ['ACCOUNT_ID', 'PHONE_NUMBER'] as const;

export type LookupValues = Partial<Record<string, string>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Why a template cannot be used (unknown variable, stray brace, not http(s), a variable in the host), or undefined. */
export function lookupTemplateProblem(template: string, variables: readonly string[]): string | undefined {
  const authority = /^https?:\/\/([^/?#]*)/i.exec(template);
  if (!authority) return 'must be an absolute http(s) URL';
  if (/[{}]/.test(authority[1] ?? '')) return 'variables may be used in the path and query, not in the host';
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!variables.includes(match[1] ?? '')) return `{${match[1]}} is not one of ${variables.map((name) => `{${name}}`).join(' ')}`;
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return 'has an unmatched brace; variables are written {NAME}';
  return undefined;
}

/**
 * The URL for an agent (CS5.1): values URL-encoded; a query parameter whose variables have no value is
 * left out, so only non-empty parameters are sent. Values are put into the template, never parsed as one.
 */
export function renderLookupUrl(template: string, values: LookupValues): string {
  const hashAt = template.indexOf('#');
  const withoutFragment = hashAt < 0 ? template : template.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : template.slice(hashAt);
  const queryAt = withoutFragment.indexOf('?');
  const base = queryAt < 0 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const query = queryAt < 0 ? '' : withoutFragment.slice(queryAt + 1);
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(values[name] ?? ''));
  const parameters = query
    .split('&')
    .filter((parameter) => parameter !== '' && [...parameter.matchAll(PLACEHOLDER)].every((match) => Boolean(values[match[1] ?? ''])))
    .map(fill);
  return `${fill(base)}${parameters.length > 0 ? `?${parameters.join('&')}` : ''}${fill(fragment)}`;
}

/** CS5.2 `{TYPE}` of each session type the source names one for. */
const TYPE_OF_SESSION: Partial<Record<SessionType, string>> = {
  'Voice Inbound': 'IVR_Call',
  'Voice Inbound (IVR using Mobile)': 'IVR_Call_(app)',
  'Voice Inbound (Mobile)': 'Incoming_Call_(app)',
  'Voice Callback (Web)': 'Incoming_Call_(web)',
  'Voice Inbound (API)': 'Incoming_Call_(api)',
  'Voice Scheduled (Mobile)': 'Scheduled_Call_(app)',
  'Voice Scheduled (Web)': 'Scheduled_Call_(web)',
  'Voice Outbound Call': 'Outbound_Call',
  'Voice Campaign': 'Outbound_Call',
  'Voice Outbound (API)': 'Outbound_Call_(api)',
  'Messaging Inbound (SMS)': 'SMS',
  'Messaging Outbound (SMS)': 'SMS',
  'Messaging Outbound (SMS via API)': 'SMS',
  'Messaging (Web)': 'Web',
  'Messaging (Mobile)': 'Mobile',
};

/** Sessions started from the web or mobile SDK use the SDK template (CS5.1); the others the IVR/PSTN/SMS one. */
const SDK_SESSION_TYPES = new Set<string>(['Voice Inbound (Mobile)', 'Voice Inbound (IVR using Mobile)', 'Voice Callback (Web)', 'Voice Scheduled (Mobile)', 'Voice Scheduled (Web)', 'Messaging (Web)', 'Messaging (Mobile)']);

export type LookupTemplateKind = 'ivr' | 'sdk';

export function templateKindOf(sessionType: string | undefined): LookupTemplateKind {
  return sessionType !== undefined && SDK_SESSION_TYPES.has(sessionType) ? 'sdk' : 'ivr';
}

/** The CS5.1 values of a session, from the CS3.1 values the flow keeps and the number the customer dialled. */
export function customLookupValues(values: SessionValues, supportNumber: string | undefined): LookupValues {
  const sessionType = values.SESSION_TYPE as SessionType | undefined;
  return {
    CUSTOMER_PHONE_NUMBER: values.PHONE_NUMBER,
    ANI: values.PHONE_NUMBER,
    CUID: values.UJET_ID,
    EMAIL: values.EMAIL,
    MENU_PATH: values.MENU_PATH,
    MENU_ID: values.QUEUE_ID,
    CHANNEL: values.CHANNEL === undefined ? undefined : values.CHANNEL === 'voice' ? 'voice_call' : 'chat',
    TYPE: sessionType && TYPE_OF_SESSION[sessionType],
    SUPPORT_PHONE_NUMBER: supportNumber,
    OUTBOUND_NUMBER: values.OUTBOUND_PHONE_NUMBER,
    SESSION_ID: values.SESSION_ID,
    CUSTOM_AGENT_ID: values.AGENT_CUSTOM_ID,
  };
}
