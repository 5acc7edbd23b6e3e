import { z } from 'zod';

/** Agent-adapter event names as the adapters send them (EB1.2). */
export const KnownAdapterEventTypes = [
  'New_Call',
  'End_Call',
  'Call_Redaction_Started',
  'Call_Redaction_Ended',
  'New_Chat',
  'Active_Chat',
  'Chat_Inbound_Message',
  'Chat_Outbound_Message',
  'End_Chat',
  'Dismissed_Chat',
  'Agent_Login',
  'Agent_Logout',
  'Cobrowse_Session_Started',
  'Cobrowse_Session_Remote_Control_Changed',
  'Cobrowse_Session_Full_Device_Changed',
  'Cobrowse_Session_Ended',
  'Transfer_Chat',
  'Transfer_Call',
  'Party_Added',
  'Agent_Joined_Chat',
  'Agent_Joined_Call',
  'Agent_Assist_Started',
  'CRM_Record_Pop',
] as const;

export type KnownAdapterEventType = (typeof KnownAdapterEventTypes)[number];

/** The longest id an event can carry: the CloudEvent's sessionId / agentId allow no more. */
export const MAX_ADAPTER_ID_LENGTH = 200;

/** CCAI ids are numbers in most of the source's samples and strings in others (co-browse, Agent Assist). */
export const adapterIdSchema = z.union([z.string().min(1).max(MAX_ADAPTER_ID_LENGTH), z.int().min(0)]);

/** States of a co-browse session's remote control and full-device sharing (EB1.3). */
export const CobrowseStates = ['off', 'requested', 'rejected', 'on'] as const;
/**
 * Who requested or ended a co-browse session. The source's field descriptions also spell the end
 * user "end-user" (its samples and glossary say "end_user"), so both are accepted as sent.
 */
export const CobrowseRequesters = ['agent', 'end_user', 'end-user'] as const;
export const CobrowseEnders = ['agent', 'end_user', 'end-user', 'api'] as const;
export const ParticipantTypes = ['end_user', 'agent'] as const;

// Absent and null both mean "not given": the source's End_Chat sample sends null for missing fields.
const optionalId = adapterIdSchema.nullish();
const optionalText = (max: number) => z.string().max(max).nullish();
/** Key/value data whose inner shape is the customer's (virtual-agent variables, SIP headers, custom data). */
const variables = z.record(z.string().max(200), z.unknown()).nullish();

/**
 * Every field the source lists for the adapters' events (EB1.3), typed once. The per-type field lists
 * differ only in which of these appear, and the samples show that fields go missing (the redaction
 * events carry two), so each is optional here; the id a type is keyed by is required where the
 * event is ingested (adapter-event-keys). Loose: a field a newer adapter adds travels untouched.
 */
const commonFields = {
  call_id: optionalId,
  chat_id: optionalId,
  cobrowse_session_id: optionalId,
  session_type: optionalText(200),
  agent_id: optionalId,
  agent_custom_id: optionalId,
  agent_email: optionalText(320),
  from_agent_id: optionalId,
  from_agent_custom_id: optionalId,
  from_agent_email: optionalText(320),
  to_agent_id: optionalId,
  to_agent_custom_id: optionalId,
  to_agent_email: optionalText(320),
  virtual_agent_id: optionalId,
  queue_id: optionalId,
  queue_path: optionalText(1000),
  from_queue_id: optionalId,
  from_queue_path: optionalText(1000),
  to_queue_id: optionalId,
  to_queue_path: optionalText(1000),
  campaign_id: optionalId,
  campaign_name: optionalText(1000),
  message: optionalText(20_000),
  cobrowse_session_remote_control: z.enum(CobrowseStates).nullish(),
  cobrowse_session_full_device: z.enum(CobrowseStates).nullish(),
  cobrowse_session_requested_by: z.enum(CobrowseRequesters).nullish(),
  cobrowse_session_ended_by: z.enum(CobrowseEnders).nullish(),
  /** Participant type (Party_Added), from participants.type of the platform's calls/chats API. */
  type: z.enum(ParticipantTypes).nullish(),
  end_user_id: optionalId,
  va_data_parameters: variables,
  session_variable: variables,
  custom_sip_headers: variables,
  /** Custom data signed by the customer's server: an HS256 JWT, verified against the tenant's key. */
  custom_data_secured: z.string().min(1).max(16_384).nullish(),
  custom_data_not_secured: variables,
};

/** The data of an event whose type this version does not know (EB1.5), and the base of every known one. */
export const adapterEventDataSchema = z.looseObject(commonFields);

const agentAssistStartedData = z.looseObject({
  ...commonFields,
  conversation_id: optionalId,
  session_id: optionalId,
  queue_language_id: optionalText(50),
  timestamp: optionalText(100),
});

const crmRecordPopData = z.looseObject({
  ...commonFields,
  // The page script sets an iframe's src to it (EB3.2): only web addresses, never javascript: or data:.
  recordUrl: z.url({ protocol: /^https?$/ }).max(2048),
});

/** The `data` schema of each known adapter event type (EB1.2). */
export const adapterEventPayloadSchemas = {
  ...(Object.fromEntries(KnownAdapterEventTypes.map((type) => [type, adapterEventDataSchema])) as Record<
    KnownAdapterEventType,
    typeof adapterEventDataSchema
  >),
  Agent_Assist_Started: agentAssistStartedData,
  CRM_Record_Pop: crmRecordPopData,
} satisfies Record<KnownAdapterEventType, z.ZodType>;

export type AdapterEventPayload<T extends KnownAdapterEventType = KnownAdapterEventType> = z.output<(typeof adapterEventPayloadSchemas)[T]>;

const KNOWN_BY_LOWER_CASE = new Map<string, KnownAdapterEventType>(KnownAdapterEventTypes.map((type) => [type.toLowerCase(), type]));

/** The known type a name means, whatever its case (the source writes "New_chat" once), or undefined. */
export function knownAdapterEventType(name: string): KnownAdapterEventType | undefined {
  return KNOWN_BY_LOWER_CASE.get(name.toLowerCase());
}
