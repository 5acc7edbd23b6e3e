/**
 * ACS repeatable requests (OASIS Repeatable Requests 1.0, as ACS documents them) per SMS recipient: a
 * `repeatabilityRequestId` (a GUID) with its `repeatabilityFirstSent` (IMF-fixdate) is tracked for a window (ACS: 5
 * minutes). Within it, a repeat of the same request is answered from the first result and not sent again; a repeat
 * that differs is refused (400). A first-sent time outside the window is refused with 412 (not safe to run again),
 * malformed values with 400; refusals carry `repeatabilityResult: rejected`.
 */
export const ACS_REPEATABILITY_WINDOW_MS = 5 * 60_000;

export interface RepeatableRecipient {
  to: string;
  repeatabilityRequestId?: string;
  repeatabilityFirstSent?: string;
}

export interface RepeatabilityRefusal {
  httpStatusCode: 400 | 412;
  errorMessage: string;
}

interface Tracked<R> {
  /** What the request asked for: a repeat must ask for the same. */
  request: string;
  firstSentAt: number;
  result: R;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export class RepeatabilityTracker<R> {
  private readonly tracked = new Map<string, Tracked<R>>();

  constructor(private readonly windowMs = ACS_REPEATABILITY_WINDOW_MS) {}

  /** The recipient's result: refused, answered from the first request, or `run` once and remembered. */
  answer(recipient: RepeatableRecipient, request: string, run: () => R, refuse: (refusal: RepeatabilityRefusal) => R, now = Date.now()): R {
    const id = recipient.repeatabilityRequestId;
    if (id === undefined) return run();
    const firstSentAt = recipient.repeatabilityFirstSent === undefined ? now : Date.parse(recipient.repeatabilityFirstSent);
    if (!GUID.test(id)) return refuse({ httpStatusCode: 400, errorMessage: 'Repeatability-Request-ID is not a valid GUID.' });
    if (recipient.repeatabilityFirstSent !== undefined && (!IMF_FIXDATE.test(recipient.repeatabilityFirstSent) || Number.isNaN(firstSentAt))) {
      return refuse({ httpStatusCode: 400, errorMessage: 'Repeatability-First-Sent is not an IMF-fixdate time.' });
    }
    if (now - firstSentAt > this.windowMs) {
      return refuse({ httpStatusCode: 412, errorMessage: `Repeatability-First-Sent is not within the ${this.windowMs / 60_000} minute window.` });
    }
    const earlier = this.tracked.get(id);
    if (earlier && now - earlier.firstSentAt <= this.windowMs) {
      return earlier.request === request ? earlier.result : refuse({ httpStatusCode: 400, errorMessage: 'A repeated request does not match the request first sent with this Repeatability-Request-ID.' });
    }
    const result = run();
    this.tracked.set(id, { request, firstSentAt, result });
    return result;
  }
}
