import { ValidationFailed } from '@switchboard/service-kit';

/**
 * The Server-Sent Events wire format (WHATWG HTML, "Server-sent events"): fields `id`, `event`, `data`, each
 * frame ended by a blank line; a line starting with `:` is a comment that clients ignore (heartbeats).
 */
export const LAST_EVENT_ID_HEADER = 'last-event-id';

/** How long an EventSource waits before it reconnects; a fetch() reader may follow the same hint. */
export const RECONNECT_AFTER_MS = 2_000;

export const HEARTBEAT_FRAME = ': keep-alive\n\n';

export function openingFrame(): string {
  return `retry: ${RECONNECT_AFTER_MS}\n: connected\n\n`;
}

/** One event. `dataJson` is one line already (JSON); any line break in it still becomes a `data:` line of its own. */
export function eventFrame(id: bigint, type: string, dataJson: string): string {
  return `id: ${id}\nevent: ${type}\ndata: ${dataJson.replace(/\r\n|\r|\n/g, '\ndata: ')}\n\n`;
}

/** Ids this service hands out are positive integers; a Postgres bigint has at most 19 digits. */
const EVENT_ID = /^[0-9]{1,19}$/;
const MAX_EVENT_ID = 2n ** 63n - 1n;

/** The `Last-Event-ID` a reconnecting client sends: undefined when absent or empty (start live), else the id. */
export function lastEventIdOf(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined || header === '') return undefined;
  const value = Array.isArray(header) ? undefined : header.trim();
  const id = value !== undefined && EVENT_ID.test(value) ? BigInt(value) : undefined;
  if (id === undefined || id > MAX_EVENT_ID) {
    throw new ValidationFailed([{ field: 'Last-Event-ID', message: 'must be the id of an event this stream sent (a whole number), sent once' }]);
  }
  return id;
}
