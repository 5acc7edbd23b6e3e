import { z } from 'zod';
import { CloudEvent, cloudEventEnvelopeSchema } from './cloud-event';
import { TopicContract } from './topic-contract';

type EventSchemasOf = Record<string, z.ZodType>;

/** One event type: which topic carries it and the schema of its `data`. */
interface EventDefinition {
  type: string;
  topic: string;
  data: z.ZodType;
}

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

  private readonly topicNames = new Set<string>();

  constructor(contracts: readonly TopicContract[]) {
    for (const { topic, events } of contracts) {
      if (this.topicNames.has(topic)) throw new Error(`Topic ${topic} is defined twice`);
      this.topicNames.add(topic);
      for (const [type, data] of Object.entries(events)) {
        if (this.byType.has(type)) throw new Error(`Event type ${type} is defined twice`);
        this.byType.set(type, { type, topic, data });
      }
    }
  }

  /** The same contracts carried on other topic names (tests give every case a topic of its own). */
  rehomed(topicFor: (topic: string) => string): EventCatalog {
    const contracts = new Map<string, EventSchemasOf>();
    for (const { type, topic, data } of this.byType.values()) {
      const events = contracts.get(topicFor(topic)) ?? {};
      events[type] = data;
      contracts.set(topicFor(topic), events);
    }
    return new EventCatalog([...contracts].map(([topic, events]) => ({ topic, events })));
  }

  topics(): string[] {
    return [...this.topicNames];
  }

  hasTopic(topic: string): boolean {
    return this.topicNames.has(topic);
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
