import type { ProviderDeliveryStatus } from '../providers/messaging-provider';

/** The tracking status a delivery report moves a message to (OM3.3): undelivered counts as failed. */
export function statusOfReport(status: ProviderDeliveryStatus): 'sent' | 'delivered' | 'failed' {
  return status === 'undelivered' ? 'failed' : status;
}

/**
 * The statuses a report may move a message from: only forward, so a late or repeated "sent" never
 * takes a delivered message back, and a final status (delivered, failed, skipped) never changes.
 * A report may overtake our own record of the send (queued or sending), so those count as before.
 */
export const FROM_STATUSES: Record<'sent' | 'delivered' | 'failed', readonly string[]> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  failed: ['queued', 'sending', 'sent'],
};
