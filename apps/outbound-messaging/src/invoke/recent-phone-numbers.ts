import { parsePhoneNumber, type PhoneNumberParseResult } from '@switchboard/contact-time';

/**
 * parsePhoneNumber's answers for the numbers seen last, per process. Judging a number against libphonenumber's full
 * metadata costs 8-15 µs (a +1 number is matched against each plan's ranges), and the same customers come back
 * request after request (campaigns, rules, schedules). The answer depends on the text alone, so a remembered one
 * is the answer; refusals are kept too. Oldest first out past `capacity` (a Map keeps insertion order).
 */
export class RecentPhoneNumbers {
  private readonly answers = new Map<string, PhoneNumberParseResult>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.answers.size;
  }

  parse(raw: string): PhoneNumberParseResult {
    // A text no number can be (the contact's schema allows 40 characters) is answered but not kept.
    if (raw.length > LONGEST_KEPT) return parsePhoneNumber(raw);
    const known = this.answers.get(raw);
    if (known) return known;
    // Frozen: one answer object is shared by every request that names the number.
    const answer = deepFreeze(parsePhoneNumber(raw));
    if (this.answers.size >= this.capacity) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(raw, answer);
    return answer;
  }
}

const LONGEST_KEPT = 64;

function deepFreeze(answer: PhoneNumberParseResult): PhoneNumberParseResult {
  if (answer.ok) Object.freeze(answer.value);
  return Object.freeze(answer);
}

/** About 5 MB at most: a large tenant's daily campaign list. */
export const recentPhoneNumbers = new RecentPhoneNumbers(20_000);
