import { randomBytes } from 'node:crypto';

/** Kafka's own rule for topic names (legal characters, at most 249 of them). */
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_LENGTH = 249;
const SUFFIX_LENGTH = '.t-'.length + 12;

/**
 * `proactive.delivery.v1` → `proactive.delivery.v1.t-3f9a2c1b7d04`: tests on one broker never share a topic,
 * and derived names such as `<topic>.dlq` stay unique too.
 */
export function uniqueTopic(base: string): string {
  if (!LEGAL_TOPIC.test(base) || base.length + SUFFIX_LENGTH > MAX_TOPIC_LENGTH) {
    throw new Error(`Topic base ${JSON.stringify(base)} must use only [a-zA-Z0-9._-] and leave room for a suffix`);
  }
  return `${base}.t-${randomBytes(6).toString('hex')}`;
}
