import { qualifiedTable } from '@switchboard/persistence';
import { PROACTIVE_DELIVERY_SCHEMA } from './prisma.service';

const inSchema = (table: string) => qualifiedTable(PROACTIVE_DELIVERY_SCHEMA, table);

/** The tables the repositories' plain SQL names, schema-qualified. */
export const Tables = {
  delivery: inSchema('proactive_delivery'),
  deliveryRequestKey: inSchema('delivery_request_key'),
  doNotCallEntry: inSchema('do_not_call_entry'),
  /** The platform outbox (libs/persistence platform migrations), written by the create statement itself. */
  outbox: inSchema('outbox_event'),
} as const;
