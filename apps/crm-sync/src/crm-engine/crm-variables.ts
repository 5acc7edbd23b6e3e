/** The variables of CS3.1, exactly as the source names them (note `{Call_ID}` and `{Chat_ID}`). */
export const CRM_VARIABLES = [
  'AGENT_ID',
  'AGENT_CUSTOM_ID',
  'AGENT_EMAIL',
  'NAME',
  'FIRST_NAME',
  'LAST_NAME',
  'UJET_ID',
  'EMAIL',
  'SESSION_TYPE',
  'PHONE_NUMBER',
  'Call_ID',
  'Chat_ID',
  'LANG',
  'CUSTOM_USER_ID',
  'ACCOUNT_ID',
  'RECORD_ID',
  'SESSION_ID',
  'MENU_PATH',
  'OUTBOUND_PHONE_NUMBER',
  'QUEUE_NAME',
  'QUEUE_ID',
  'SDK_NAME',
  'SDK_EMAIL',
  'SDK_PHONE',
  'SDK_IDENTIFIER',
  'SMART_ACTION_SESSION_ID',
  'RATING',
  'FEEDBACK',
  'CALL_DURATION',
  'HOLD_TIME',
  'WAIT_TIME',
  'DEVICE_TYPE',
  'DISCONNECTED_BY',
  'CHANNEL',
  'TICKET_SUBJECT',
  'TICKET_DESCRIPTION',
  'TICKET_DESCRIPTION_HTML',
  'COMMENT_BODY',
  'FILE_DATA',
  // Beyond CS3.1: most CRMs' attachment APIs want the file's name (and type) next to its base64 bytes.
  'FILE_NAME',
  'FILE_CONTENT_TYPE',
  'ATTACHMENT_ID',
] as const;

export type CrmVariable = (typeof CRM_VARIABLES)[number];

const KNOWN = new Set<string>(CRM_VARIABLES);

export function isCrmVariable(name: string): name is CrmVariable {
  return KNOWN.has(name);
}

/**
 * What the engine knows about a session when it builds a request. A variable that is absent, or
 * empty, has no value (CS3.2). Phone numbers are given as dialled (E.164 preferred) and formatted
 * per the tenant's setting when rendered (CS1.2); FIRST_NAME and LAST_NAME are derived from NAME
 * unless given.
 */
export type SessionValues = Partial<Record<CrmVariable, string>>;

/** Phone variables are formatted per CS1.2 when a request is rendered. */
export const PHONE_VARIABLES: ReadonlySet<CrmVariable> = new Set(['PHONE_NUMBER', 'OUTBOUND_PHONE_NUMBER']);
