import { Injectable } from '@nestjs/common';
import type { ClockRange } from '@switchboard/contact-time';
import { OutboundMessagingConfig } from '../config';
import { parseQuietHours, quietHoursDueAt } from './quiet-hours';

/** The deployment's quiet hours (MESSAGING_QUIET_HOURS), for automated and scheduled sends; instant sends are a person's call. */
@Injectable()
export class QuietHours {
  private readonly hours: ClockRange | undefined;

  constructor(config: OutboundMessagingConfig) {
    this.hours = parseQuietHours(config.MESSAGING_QUIET_HOURS);
  }

  /** Each number's earliest permitted time from `now`; undefined when there are no quiet hours. */
  holdUntil(now: Date): ((to: string) => Date) | undefined {
    const hours = this.hours;
    return hours && ((to) => quietHoursDueAt(to, now, hours));
  }
}
