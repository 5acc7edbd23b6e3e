import { DeliveryStatus } from '@switchboard/contracts';

/** Statuses in which a delivery may still be dialed (and so cancelled). */
export const OPEN_STATUSES: readonly DeliveryStatus[] = ['Scheduled', 'Retrying', 'Dialing'];

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
