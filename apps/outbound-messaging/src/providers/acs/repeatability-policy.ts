import { createHash } from 'node:crypto';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * A stable `repeatabilityRequestId` per (our message reference, recipient), where the SDK would put a random
 * one: a send retried after a crash or a lost answer is then recognised by ACS (repeatable requests) and
 * answered from the first result instead of texting the customer twice. Runs before the SDK's signing policy,
 * so the signature covers the changed body.
 */
export const stableRepeatabilityPolicy: PipelinePolicy = {
  name: 'switchboardStableRepeatability',
  sendRequest(request, next) {
    if (typeof request.body === 'string' && request.method === 'POST') {
      const body = JSON.parse(request.body) as { smsRecipients?: Array<{ to: string; repeatabilityRequestId?: string }>; smsSendOptions?: { tag?: string } };
      const reference = body.smsSendOptions?.tag;
      if (reference && Array.isArray(body.smsRecipients)) {
        for (const recipient of body.smsRecipients) recipient.repeatabilityRequestId = stableUuid(`${reference}\n${recipient.to}`);
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
