import { z } from 'zod';
import { CloudEvent, cloudEventEnvelopeSchema } from './cloud-event';

/** One event type: which topic carries it and the schema of its `data`. */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  type: TType;
  topic: string;
  data: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  topic: string,
  type: TType,
  data: TSchema,
): EventDefinition<TType, TSchema> {
  return { topic, type, data };
}

export type EventOf<D extends EventDefinition> = CloudEvent<D['type'], z.infer<D['data']>>;

export class EventContractError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(`${message}: ${issues.join('; ')}`);
    this.name = 'EventContractError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * The registry that producers and consumers both validate against, so a bad event is refused at the
 * source and, should one slip through (another version, a hand-written message), again at the sink.
 */
export class EventCatalog {
  private readonly byType = new Map<string, EventDefinition>();

  constructor(definitions: EventDefinition[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`Event type ${definition.type} is defined twice`);
      this.byType.set(definition.type, definition);
    }
  }

  definitionOf(type: string): EventDefinition | undefined {
    return this.byType.get(type);
  }

  typesOn(topic: string): string[] {
    return [...this.byType.values()].filter((d) => d.topic === topic).map((d) => d.type);
  }

  /** Validates an envelope and its data for the given topic; returns the parsed event or throws. */
  parse(topic: string, value: unknown): CloudEvent {
    const envelope = cloudEventEnvelopeSchema.safeParse(value);
    if (!envelope.success) throw new EventContractError('Invalid CloudEvent envelope', describeIssues(envelope.error));
    const definition = this.byType.get(envelope.data.type);
    if (!definition) throw new EventContractError('Unknown event type', [envelope.data.type]);
    if (definition.topic !== topic) {
      throw new EventContractError('Event type not allowed on topic', [`${envelope.data.type} belongs on ${definition.topic}, not ${topic}`]);
    }
    const data = definition.data.safeParse(envelope.data.data);
    if (!data.success) throw new EventContractError(`Invalid data for ${definition.type}`, describeIssues(data.error));
    return { ...envelope.data, data: data.data } as CloudEvent;
  }
}
