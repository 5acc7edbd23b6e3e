/**
 * The verdict on one provider webhook request, for the controller that received it: act on `value`, answer
 * 200 and do nothing (`ignored`, e.g. an intermediate status), or refuse with `status` and `reason`.
 */
export type WebhookReading<T> =
  | { outcome: 'accepted'; value: T }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'rejected'; status: 400 | 401 | 403; reason: string };

export const rejected = (status: 400 | 401 | 403, reason: string): WebhookReading<never> => ({ outcome: 'rejected', status, reason });
export const ignored = (reason: string): WebhookReading<never> => ({ outcome: 'ignored', reason });
export const accepted = <T>(value: T): WebhookReading<T> => ({ outcome: 'accepted', value });
