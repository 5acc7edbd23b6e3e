import { agentEventDefinitions } from './agent/agent-events';
import { EventCatalog } from './events/event-catalog';
import { deliveryEventDefinitions } from './proactive/delivery-events';

/** Every event the platform knows: the single source both producers and consumers validate with. */
export const eventCatalog = new EventCatalog([...agentEventDefinitions, ...deliveryEventDefinitions]);
