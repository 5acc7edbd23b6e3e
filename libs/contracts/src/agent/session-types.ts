/** CCAI Platform session types (EB1.4), in the one spelling Switchboard publishes. */
export const SessionTypes = [
  'Voice Inbound',
  'Voice Inbound (IVR using Mobile)',
  'Voice Inbound (Mobile)',
  'Voice Callback (Web)',
  'Voice Inbound (API)',
  'Voice Scheduled (Mobile)',
  'Voice Scheduled (Web)',
  'Voice Outbound Call',
  'Voice Outbound (API)',
  'Voice Campaign',
  'Messaging (WhatsApp)',
  'Messaging Inbound (SMS)',
  'Messaging Outbound (SMS)',
  'Messaging Outbound (SMS via API)',
  'Messaging (Web)',
  'Messaging (Mobile)',
  'Screen Share Session',
] as const;

export type SessionType = (typeof SessionTypes)[number];

/**
 * Spellings the source's own samples use for a listed type: "(UJET)" is the platform's former name,
 * and "messaging inbound (web chat)" is what the chat adapter reports for a web-SDK chat. Keys are in
 * the comparison form of `comparable`.
 */
const ALIASES: Record<string, SessionType> = {
  'voice campaign (ujet)': 'Voice Campaign',
  'messaging inbound (web chat)': 'Messaging (Web)',
  'screen-share session': 'Screen Share Session',
  'cobrowse session': 'Screen Share Session',
};

/** Case, runs of white space and space inside parentheses do not tell session types apart. */
function comparable(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').toLowerCase();
}

const BY_COMPARABLE = new Map<string, SessionType>([
  ...SessionTypes.map((type) => [comparable(type), type] as const),
  ...Object.entries(ALIASES),
]);

/**
 * The canonical session type of what an adapter sent (EB1.4: the source's samples differ in case),
 * or undefined for a type this version does not know; the event then still travels, with its
 * `session_type` untouched in the payload.
 */
export function canonicalSessionType(sent: string): SessionType | undefined {
  return BY_COMPARABLE.get(comparable(sent));
}
