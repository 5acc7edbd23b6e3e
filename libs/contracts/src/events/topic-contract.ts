import { z } from 'zod';
import { CloudEvent } from './cloud-event';

/** The event types one topic carries, each with the schema of its `data` (P3.2). */
export type EventSchemas = Record<string, z.ZodType>;

export interface TopicContract<TTopic extends string = string, TEvents extends EventSchemas = EventSchemas> {
  topic: TTopic;
  events: TEvents;
}

export function defineTopic<const TTopic extends string, const TEvents extends EventSchemas>(
  topic: TTopic,
  events: TEvents,
): TopicContract<TTopic, TEvents> {
  return { topic, events };
}

/** The CloudEvent of one type of a topic contract, or the union of all its types. */
export type ContractEvent<C extends TopicContract, K extends keyof C['events'] & string = keyof C['events'] & string> = {
  [P in K]: CloudEvent<P, z.output<C['events'][P]>>;
}[K];
