import { agentEventsTopic } from './agent/agent-events';
import { contactSessionTopic } from './contact/contact-session-events';
import { crmCaseEventsTopic } from './crm/case-events';
import { crmRecordPopsTopic } from './crm/record-pops';
import { CloudEvent } from './events/cloud-event';
import { EventCatalog } from './events/event-catalog';
import { ContractEvent } from './events/topic-contract';
import { inboundConversationTopic } from './messaging/inbound-conversation-events';
import { messagingConsentTopic } from './messaging/messaging-consent-events';
import { outboundMessageTopic } from './messaging/outbound-message-events';
import { proactiveDeliveryTopic } from './proactive/delivery-events';
import { voiceConsentTopic } from './proactive/voice-consent-events';
import { storageExportTopic } from './storage/storage-export-events';

/** Every topic the platform knows, with its event types: the one source producers and consumers validate with. */
const contracts = [
  agentEventsTopic,
  proactiveDeliveryTopic,
  contactSessionTopic,
  crmRecordPopsTopic,
  crmCaseEventsTopic,
  storageExportTopic,
  outboundMessageTopic,
  inboundConversationTopic,
  messagingConsentTopic,
  voiceConsentTopic,
] as const;

type Contracts = (typeof contracts)[number];
type ContractOf<T extends CatalogTopic> = Extract<Contracts, { topic: T }>;

/** A topic of the catalog. */
export type CatalogTopic = Contracts['topic'];

/** The event types a topic carries. */
export type EventTypeOn<T extends CatalogTopic> =
  keyof ContractOf<T>['events'] & string;

/**
 * A consumer's payload, typed from the catalog: `CatalogEvent<'agent.events.v1'>` is any event of that
 * topic; `CatalogEvent<'proactive.delivery.v1', 'switchboard.proactive.DeliveryCompleted'>` one type.
 */
export type CatalogEvent<
  T extends CatalogTopic,
  K extends EventTypeOn<T> = EventTypeOn<T>,
> = ContractEvent<ContractOf<T>, K> & CloudEvent<K>;

export const eventCatalog = new EventCatalog(contracts);
