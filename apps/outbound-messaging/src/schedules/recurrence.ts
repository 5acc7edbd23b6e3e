import { Cron } from 'croner';

/** An IANA zone name Intl knows (Europe/Paris, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Five-field cron (minute hour day-of-month month day-of-week; croner's syntax): a finer recurrence
 * than once a minute is not a messaging schedule. Answers why a pattern is refused, or undefined.
 */
export function cronProblem(pattern: string, timeZone: string, now: Date): string | undefined {
  if (pattern.trim().split(/\s+/).length !== 5) return 'must have five fields: minute hour day-of-month month day-of-week';
  try {
    if (nextOccurrence(pattern, timeZone, now) === undefined) return 'never occurs';
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}

/** The first occurrence of the pattern after `after`, in `timeZone` (daylight saving included). */
export function nextOccurrence(pattern: string, timeZone: string, after: Date): Date | undefined {
  return new Cron(pattern, { timezone: timeZone, paused: true }).nextRun(after) ?? undefined;
}
