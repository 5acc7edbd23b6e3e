import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/** The first attempt's time of the send running in this async context (ACS's Repeatability-First-Sent). */
const firstSentOfCall = new AsyncLocalStorage<Date>();

/** Runs one SDK send whose requests carry `firstSent` as their Repeatability-First-Sent. */
export function withRepeatabilityFirstSent<T>(firstSent: Date, call: () => Promise<T>): Promise<T> {
  return firstSentOfCall.run(firstSent, call);
}

/**
 * ACS repeatable requests (OASIS Repeatable Requests 1.0, as ACS documents them): where the SDK puts a random
 * `repeatabilityRequestId` and "now" as `repeatabilityFirstSent`, a send carries an id stable per (our message
 * reference, recipient) and the time of the message's first unsettled attempt. A send retried after a crash or a
 * lost answer is then recognised by ACS and answered from the first result instead of texting the customer twice;
 * past ACS's tracking window (5 minutes) it is refused with 412 rather than sent blindly. Runs before the SDK's
 * signing policy, so the signature covers the changed body.
 */
export const stableRepeatabilityPolicy: PipelinePolicy = {
  name: 'switchboardStableRepeatability',
  sendRequest(request, next) {
    if (typeof request.body === 'string' && request.method === 'POST') {
      const body = JSON.parse(request.body) as { smsRecipients?: Array<{ to: string; repeatabilityRequestId?: string; repeatabilityFirstSent?: string }>; smsSendOptions?: { tag?: string } };
      const reference = body.smsSendOptions?.tag;
      const firstSent = firstSentOfCall.getStore();
      if (reference && Array.isArray(body.smsRecipients)) {
        for (const recipient of body.smsRecipients) {
          recipient.repeatabilityRequestId = stableUuid(`${reference}\n${recipient.to}`);
          if (firstSent) recipient.repeatabilityFirstSent = firstSent.toUTCString();
        }
        request.body = JSON.stringify(body);
      }
    }
    return next(request);
  },
};

/** A UUID (version 4 layout) derived from the text, so the same text always gives the same id. */
export function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
