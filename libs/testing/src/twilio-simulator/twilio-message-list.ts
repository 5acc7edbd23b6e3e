import { messageResource, type SimulatedTwilioMessage } from './twilio-wire';

/**
 * Twilio's Messages list resource (`GET /2010-04-01/Accounts/{AccountSid}/Messages.json`) as its reference documents
 * it: filters `To`, `From` and `DateSent` (`DateSent=YYYY-MM-DD` that day, `DateSent>=` on or after, `DateSent<=` on
 * or before; the SDK sends the keys `DateSent>` / `DateSent<` with a date-time, taken as that instant), newest first,
 * `PageSize` (default 50, at most 1,000), pages linked by `next_page_uri` / `previous_page_uri` with `Page` and an
 * opaque `PageToken`. A message without a `date_sent` (still queued) never passes a DateSent filter.
 */
export function listMessagesPage(accountPath: string, all: Iterable<SimulatedTwilioMessage>, query: URLSearchParams): Record<string, unknown> {
  const pageSize = clampPageSize(query.get('PageSize'));
  const page = Math.max(0, Number.parseInt(query.get('Page') ?? '0', 10) || 0);
  const matching = [...all].filter(matchesFilters(query)).reverse();
  matching.sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
  const start = startAfterToken(matching, query.get('PageToken'), page * pageSize);
  const messages = matching.slice(start, start + pageSize);
  const filters = new URLSearchParams([...query].filter(([name]) => FILTERS.has(name)));
  const uriOf = (pageNumber: number, token?: string) => {
    const params = new URLSearchParams(filters);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(pageNumber));
    if (token) params.set('PageToken', token);
    return `${accountPath}/Messages.json?${params.toString()}`;
  };
  const last = messages[messages.length - 1];
  const hasNext = last !== undefined && start + pageSize < matching.length;
  return {
    messages: messages.map(messageResource),
    end: start + Math.max(0, messages.length - 1),
    first_page_uri: uriOf(0),
    next_page_uri: hasNext ? uriOf(page + 1, `PA${last.sid}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriOf(page - 1) : null,
    start,
    uri: uriOf(page, query.get('PageToken') ?? undefined),
  };
}

const FILTERS = new Set(['To', 'From', 'DateSent', 'DateSent>', 'DateSent<']);
const DAY_MS = 86_400_000;

function clampPageSize(text: string | null): number {
  const size = Number.parseInt(text ?? '', 10);
  return Number.isFinite(size) && size > 0 ? Math.min(size, 1_000) : 50;
}

/** Where a page starts: after the message its PageToken names (stable while messages arrive), else at `offset`. */
function startAfterToken(messages: SimulatedTwilioMessage[], token: string | null, offset: number): number {
  const sid = token?.startsWith('PA') ? token.slice(2) : undefined;
  const index = sid === undefined ? -1 : messages.findIndex((message) => message.sid === sid);
  return index >= 0 ? index + 1 : offset;
}

function matchesFilters(query: URLSearchParams): (message: SimulatedTwilioMessage) => boolean {
  const to = query.get('To');
  const from = query.get('From');
  const on = dayBounds(query.get('DateSent'));
  const after = instantOrDayStart(query.get('DateSent>'));
  const before = instantOrDayEnd(query.get('DateSent<'));
  const dated = on !== undefined || after !== undefined || before !== undefined;
  return (message) => {
    if (to !== null && message.to !== to) return false;
    if (from !== null && message.from !== from) return false;
    if (!dated) return true;
    const sent = message.dateSent?.getTime();
    if (sent === undefined) return false;
    if (on && (sent < on[0] || sent >= on[1])) return false;
    return (after === undefined || sent >= after) && (before === undefined || sent <= before);
  };
}

/** `YYYY-MM-DD` → that UTC day's [start, end); anything else is not a day. */
function dayBounds(text: string | null): [number, number] | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const start = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(start) ? undefined : [start, start + DAY_MS];
}

function instantOrDayStart(text: string | null): number | undefined {
  if (!text) return undefined;
  return dayBounds(text)?.[0] ?? parsedInstant(text);
}

function instantOrDayEnd(text: string | null): number | undefined {
  if (!text) return undefined;
  const day = dayBounds(text);
  return day ? day[1] - 1 : parsedInstant(text);
}

function parsedInstant(text: string): number | undefined {
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : instant;
}
