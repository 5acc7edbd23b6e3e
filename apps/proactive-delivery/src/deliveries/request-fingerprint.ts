import { createHash } from 'node:crypto';
import { CreateDeliveryRequest } from './create-delivery.schema';

/**
 * What makes two create requests "the same" for PD1.5: every field that decides the call. Windows
 * the server defaulted (now → now + 24 h) differ on every call, so they are left out.
 */
export function requestFingerprint(request: CreateDeliveryRequest): string {
  const attributes = Object.keys(request.inputAttributes)
    .sort()
    .map((key) => [key, request.inputAttributes[key]]);
  const canonical = JSON.stringify({
    configurationId: request.proactiveEngagementConfigId,
    phone: request.destinationPhoneNumber.e164,
    contactId: request.contactId,
    windows: request.windowsDefaulted ? null : request.windows.map((w) => [w.start.toISOString(), w.end.toISOString()]),
    attributes,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
