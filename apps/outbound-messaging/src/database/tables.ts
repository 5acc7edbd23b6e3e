import { qualifiedTable } from '@switchboard/persistence';
import manifest from '../../service.json';

/** The Postgres schema outbound-messaging owns, from its service.json. */
export const OUTBOUND_MESSAGING_SCHEMA = manifest.schema;

const inSchema = (table: string) => qualifiedTable(OUTBOUND_MESSAGING_SCHEMA, table);

/** The tables the repositories' plain SQL names, schema-qualified. */
export const Tables = {
  message: inSchema('outbound_message'),
  channel: inSchema('outbound_channel'),
  invokeRequestCount: inSchema('invoke_request_count'),
  voiceDoNotCall: inSchema('voice_do_not_call'),
  optOut: inSchema('opt_out'),
  /** The platform outbox (libs/persistence platform migrations), written by the same statements as the state it reports. */
  outbox: inSchema('outbox_event'),
} as const;
