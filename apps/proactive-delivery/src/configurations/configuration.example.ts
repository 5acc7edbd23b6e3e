import type { z } from 'zod';
import type { configurationCreateSchema } from './configuration.schema';

const nineToFive = [{ start: '09:00', end: '17:00' }];

/**
 * A configuration as the API documents it, and as tests and the benchmark start from: weekday
 * callbacks 09:00–17:00 in New York. Data only (type imports), so tools run by tsx can use it too.
 */
export const configurationExample: z.input<typeof configurationCreateSchema> = {
  name: 'Order callbacks',
  dialingMode: 'customer_first',
  workflowId: 'callback-bot',
  outboundProfile: { callerIdNumber: '+12125550100', providerName: 'simulator' },
  maxAttempts: 3,
  retryIntervalsSeconds: { busy: 300, no_answer: 900, voicemail: 3600, failed: 600 },
  timeZone: 'America/New_York',
  contactHours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
  blackoutDates: ['2026-12-25'],
};
