import { z } from 'zod';
import { CloudEvent, CloudEventEnvelope, cloudEventEnvelopeSchema } from './cloud-event';
import { compileFastCheck, FastCheck } from './fast-check';
import { TopicContract } from './topic-contract';

type EventSchemasOf = Record<string, z.ZodType>;

/** One event type: which topic carries it and the schema of its `data`. */
interface EventDefinition {
  type: string;
  topic: string;
  data: z.ZodType;
  /** A cheaper check of `data` that zod backs up (see fast-check.ts); undefined: zod only. */
  fast?: FastCheck;
}

export interface EventCatalogOptions {
  /** Whether valid events may skip zod (same acceptances and rejections either way); on unless false. */
  fastChecks?: boolean;
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

  private readonly envelopeCheck?: FastCheck;

  constructor(
    contracts: readonly TopicContract[],
    private readonly options: EventCatalogOptions = {},
  ) {
    const fast = options.fastChecks !== false;
    this.envelopeCheck = fast ? compileFastCheck(cloudEventEnvelopeSchema) : undefined;
    for (const { topic, events } of contracts) {
      if (this.topicNames.has(topic)) throw new Error(`Topic ${topic} is defined twice`);
      this.topicNames.add(topic);
      for (const [type, data] of Object.entries(events)) {
        if (this.byType.has(type)) throw new Error(`Event type ${type} is defined twice`);
        this.byType.set(type, { type, topic, data, fast: fast ? compileFastCheck(data) : undefined });
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
    return new EventCatalog(
      [...contracts].map(([topic, events]) => ({ topic, events })),
      this.options,
    );
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

  /**
   * Validates an envelope and its data for the given topic; returns the parsed event or throws. A value
   * the fast checks accept is returned as it is (zod's copy would equal it); anything else goes to zod.
   */
  parse(topic: string, value: unknown): CloudEvent {
    const envelope = this.envelopeCheck?.accepts(value) ? (value as CloudEventEnvelope) : this.zodEnvelope(value);
    const definition = this.byType.get(envelope.type);
    if (!definition) throw new EventContractError('Unknown event type', [envelope.type]);
    if (definition.topic !== topic) {
      throw new EventContractError('Event type not allowed on topic', [`${envelope.type} belongs on ${definition.topic}, not ${topic}`]);
    }
    if (definition.fast?.accepts(envelope.data)) return { ...envelope } as CloudEvent;
    const data = definition.data.safeParse(envelope.data);
    if (!data.success) throw new EventContractError(`Invalid data for ${definition.type}`, describeIssues(data.error));
    return { ...envelope, data: data.data } as CloudEvent;
  }

  private zodEnvelope(value: unknown): CloudEventEnvelope {
    const envelope = cloudEventEnvelopeSchema.safeParse(value);
    if (!envelope.success) throw new EventContractError('Invalid CloudEvent envelope', describeIssues(envelope.error));
    return envelope.data;
  }
}
