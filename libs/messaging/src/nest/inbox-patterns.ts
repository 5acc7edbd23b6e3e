import { EventCatalog } from '@switchboard/contracts';

/** An `@EventPattern` this transport serves: a whole topic, or one event type on it. */
export interface InboxPattern {
  topic: string;
  type?: string;
}

/**
 * `@EventPattern(Topics.agentEvents)` takes every event of the topic;
 * `@EventPattern({ topic: Topics.proactiveDelivery, type: DeliveryEventTypes.completed })` one type.
 * Nest keys handlers by the pattern's normalised text (objects as JSON with sorted keys).
 */
export function parseInboxPattern(normalised: string): InboxPattern | string {
  if (!normalised.startsWith('{')) return { topic: normalised };
  try {
    const value = JSON.parse(normalised) as Record<string, unknown>;
    const { topic, type, ...rest } = value;
    if (typeof topic !== 'string' || (type !== undefined && typeof type !== 'string') || Object.keys(rest).length > 0) {
      return 'a pattern object must be { topic, type? } with string values';
    }
    return { topic, ...(type !== undefined && { type }) };
  } catch {
    return 'not a topic name or { topic, type? } object';
  }
}

/** Why the catalog cannot serve a pattern, or undefined when it can. */
export function catalogProblem(pattern: InboxPattern, catalog: EventCatalog): string | undefined {
  if (!catalog.hasTopic(pattern.topic)) return `topic "${pattern.topic}" is not in the contracts catalog (known: ${catalog.topics().join(', ')})`;
  if (pattern.type !== undefined && !catalog.typesOn(pattern.topic).includes(pattern.type)) {
    return `event type "${pattern.type}" is not carried on ${pattern.topic}`;
  }
  return undefined;
}
