import { PayloadTooLargeException } from '@nestjs/common';
import { parseAdapterEvent, ParsedAdapterEvent } from '@switchboard/contracts';
import { type ErrorBody, ValidationFailed } from '@switchboard/service-kit';
import { describeIssue, toFieldErrors } from '@switchboard/validation';

/** Events one signed batch may carry (EB1.1 b). */
export const MAX_SIGNED_BATCH_EVENTS = 500;
/** Events an agent's page may flush at once from its queue (EB1.1 a). */
export const MAX_AGENT_BATCH_EVENTS = 50;

export type IntakeItem = { ok: true; event: ParsedAdapterEvent } | { ok: false; error: ErrorBody['error'] };

/** One adapter event checked against its type's schema (EB1.2), or why not, each field named (P2.1). */
export function readAdapterEvent(value: unknown, agentFromToken?: string): IntakeItem {
  const result = parseAdapterEvent(value, { agentFromToken, error: describeIssue });
  if (result.success) return { ok: true, event: result.event };
  const failure = new ValidationFailed(toFieldErrors(result.issues, 'The event').map(({ field, message }) => ({ field: field || '(root)', message })));
  return { ok: false, error: { code: 'BadRequest', message: failure.message, details: failure.problems } };
}

/** readAdapterEvent, answering 400 when the event is bad. */
export function requireAdapterEvent(value: unknown, agentFromToken?: string): ParsedAdapterEvent {
  const item = readAdapterEvent(value, agentFromToken);
  if (item.ok) return item.event;
  throw new ValidationFailed(item.error.details ?? []);
}

/**
 * The events of a batch body: a JSON array of 1 to `max` events. A longer one is refused whole
 * (413, nothing stored) rather than cut, so the sender knows to split it.
 */
export function batchItems(body: unknown, max: number): unknown[] {
  if (!Array.isArray(body)) throw new ValidationFailed([{ field: '(root)', message: 'The body must be a JSON array of adapter events' }]);
  if (body.length === 0) throw new ValidationFailed([{ field: '(root)', message: 'The batch must contain at least 1 event' }]);
  if (body.length > max) {
    throw new PayloadTooLargeException({
      code: 'TooManyEvents',
      message: `A batch carries at most ${max} events; this one has ${body.length}. Send them in several batches.`,
    });
  }
  return body;
}
