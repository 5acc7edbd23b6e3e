import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { AdapterEventIngress } from './adapter-event-source';
import type { ParsedAdapterEvent } from '@switchboard/contracts';

/**
 * What makes two posts "the same event" for EB2.2, within one tenant: the sender's own id when it
 * gives one, else the event's content (type and data, keys in a fixed order, so that re-serialised
 * JSON is still the same event). An agent's page speaks only for its own agent, so its events are
 * told apart per agent. Without an id, two genuinely repeated identical events read as one: senders
 * that can repeat an event (the same chat message twice) should send an id.
 */
export function eventIdentity(event: ParsedAdapterEvent, source: { ingress: AdapterEventIngress; agentId?: string }): string {
  const sender = { ingress: source.ingress, agent: source.ingress === 'agent' ? source.agentId : undefined };
  const identity = event.senderEventId !== undefined ? { ...sender, id: event.senderEventId } : { ...sender, type: event.adapterEventType, data: event.data };
  return createHash('sha256').update(stringify(identity)).digest('hex');
}
