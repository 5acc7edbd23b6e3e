import { defineJobQueue } from '@switchboard/jobs';
import { z } from 'zod';

/** One job per occurrence of a schedule (OM4.3): its key is `<schedule>/<occurrence>`, so an occurrence is scheduled once. */
export const scheduledSendQueue = defineJobQueue('outbound-messaging.scheduled-send', z.object({ scheduleId: z.uuid(), occurrence: z.iso.datetime() }));

export const scheduledSendKey = (scheduleId: string, occurrence: Date) => `${scheduleId}/${occurrence.toISOString()}`;
