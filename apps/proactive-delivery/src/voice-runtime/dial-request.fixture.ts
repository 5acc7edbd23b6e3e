import { randomUUID } from 'node:crypto';
import { DialRequest } from './voice-runtime';

/** A complete, valid dial request for tests; every id is fresh unless overridden. */
export function aDialRequest(overrides: Partial<DialRequest> = {}): DialRequest {
  return {
    attemptId: randomUUID(),
    deliveryId: randomUUID(),
    tenantId: randomUUID(),
    configurationId: randomUUID(),
    attemptNumber: 1,
    phoneNumber: '+14155550100',
    callerIdNumber: '+14155550000',
    dialingMode: 'customer_first',
    workflowId: 'bot-1',
    inputAttributes: { orderNumber: 'A-1' },
    ...overrides,
  };
}
