import { DialOutcome, DialOutcomes } from '@switchboard/contracts';
import { DialRejectedError, DialRequest } from './voice-runtime';

/** The input attribute that scripts the simulator's outcomes, attempt by attempt. */
export const SIMULATOR_OUTCOMES_ATTRIBUTE = 'simulatorOutcomes';

/** Outcome by the E.164 number's last digit, when no script is given. */
const OUTCOME_BY_LAST_DIGIT: Readonly<Record<string, DialOutcome>> = {
  '0': 'answered',
  '1': 'answered',
  '2': 'answered',
  '3': 'answered',
  '4': 'answered',
  '5': 'answered',
  '6': 'busy',
  '7': 'no_answer',
  '8': 'voicemail',
  '9': 'failed',
};

/**
 * The simulator's deterministic outcome for one dial (PD4.3):
 * - `inputAttributes.simulatorOutcomes` set (comma list such as "busy,no_answer,answered"): attempt N
 *   gets the N-th entry and the last entry repeats for later attempts;
 * - otherwise the number's last digit decides: 0–5 answered, 6 busy, 7 no_answer, 8 voicemail, 9 failed.
 * A script naming an unknown outcome is refused for good (DialRejectedError): retrying cannot fix it.
 */
export function simulatedOutcome(request: Pick<DialRequest, 'phoneNumber' | 'attemptNumber' | 'inputAttributes'>): DialOutcome {
  const script = scriptedOutcomes(request.inputAttributes[SIMULATOR_OUTCOMES_ATTRIBUTE]);
  if (script.length > 0) return script[Math.min(Math.max(request.attemptNumber, 1), script.length) - 1] as DialOutcome;
  const outcome = OUTCOME_BY_LAST_DIGIT[request.phoneNumber.slice(-1)];
  if (!outcome) throw new DialRejectedError(`The simulator needs an E.164 number ending in a digit, got "${request.phoneNumber}"`);
  return outcome;
}

/** "busy, No_Answer,,answered" → ['busy', 'no_answer', 'answered']; blank or absent → []. */
export function scriptedOutcomes(script: string | undefined): DialOutcome[] {
  if (script === undefined) return [];
  const entries = script
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    if (!isDialOutcome(entry))
      throw new DialRejectedError(`${SIMULATOR_OUTCOMES_ATTRIBUTE} names an unknown outcome "${entry}"; use ${DialOutcomes.join(', ')}`);
  }
  return entries as DialOutcome[];
}

function isDialOutcome(value: string): value is DialOutcome {
  return (DialOutcomes as readonly string[]).includes(value);
}
