import { type CloudEvent, eventCatalog } from '@switchboard/contracts';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { eventually } from '@switchboard/testing';

export interface TopicEvent {
  topic: string;
  key: string | null;
  /** The envelope, checked against the topic's contract (a service publishing off-contract fails the wait). */
  event: CloudEvent;
}

export interface TopicEvents {
  /** Every event of the tenant seen so far on the topic that matches, in arrival order. */
  seen(topic: string, match?: (event: CloudEvent) => boolean): TopicEvent[];
  /** Waits until `count` events of the tenant on the topic match, and answers them. */
  waitFor(topic: string, what: string, match: (event: CloudEvent) => boolean, count?: number, timeoutMs?: number): Promise<TopicEvent[]>;
  stop(): Promise<void>;
}

/**
 * Reads the given topics from the beginning with a consumer group of its own, keeping one tenant's events.
 * The outbox delivers at least once (a crash between send and mark re-sends), so events are kept once per id.
 * Starts all topics in one consumer: the mock broker's first group join takes seconds, a second one more.
 */
export async function readTopicEvents(brokers: string[], topics: string[], tenantId: string): Promise<TopicEvents> {
  const kafka = new Kafka({ clientId: 'e2e-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `e2e-reader-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 6_000 });
  const received: TopicEvent[] = [];
  const ids = new Set<string>();
  const problems: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      // Other tests may share the broker and its topics: only this tenant's events are read and judged.
      const raw = parseJson(String(message.value));
      if (raw?.tenantid !== tenantId) return;
      let event: CloudEvent;
      try {
        event = eventCatalog.parse(topic, raw);
      } catch (error) {
        problems.push(`${topic}: ${String(error)}`);
        return;
      }
      if (ids.has(event.id)) return;
      ids.add(event.id);
      received.push({ topic, key: message.key?.toString() ?? null, event });
    },
  });
  const seen = (topic: string, match: (event: CloudEvent) => boolean = () => true) => received.filter((entry) => entry.topic === topic && match(entry.event));
  return {
    seen,
    waitFor: (topic, what, match, count = 1, timeoutMs = 60_000) =>
      eventually(
        async () => {
          if (problems.length > 0) throw new Error(`events off their topic's contract: ${problems.join('; ')}`);
          const matching = seen(topic, match);
          return matching.length >= count ? matching : undefined;
        },
        `${what} on ${topic}`,
        timeoutMs,
      ),
    stop: () => consumer.disconnect(),
  };
}

function parseJson(text: string): { tenantid?: unknown } | undefined {
  try {
    return JSON.parse(text) as { tenantid?: unknown };
  } catch {
    return undefined;
  }
}
