import { Injectable } from '@nestjs/common';
import { OutboundMessagingConfig } from '../config';

/** The public webhook path of a channel's delivery reports (OM3.3); the controller that serves it reads the same. */
export const STATUS_CALLBACK_PATH = 'outbound/webhooks/twilio/status';

/**
 * Where a provider posts a message's delivery reports: this service's public address (PUBLIC_BASE_URL),
 * naming the channel (whose auth token signs the report) and the message (so a report that overtakes
 * our own record of the send still finds it). Without a public address no callback is asked for.
 */
@Injectable()
export class StatusCallbacks {
  constructor(private readonly config: OutboundMessagingConfig) {}

  urlFor(channel: { id: string; provider: string }, messageId: string): string | undefined {
    const base = this.config.PUBLIC_BASE_URL;
    // ACS reports arrive through Event Grid subscriptions, not per-message callbacks.
    if (!base || channel.provider === 'acs') return undefined;
    return `${base.replace(/\/+$/, '')}/${STATUS_CALLBACK_PATH}/${channel.id}?messageId=${messageId}`;
  }
}
