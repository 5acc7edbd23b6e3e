import { describe, expect, it } from 'vitest';
import { scriptedOutcomes, simulatedOutcome } from './simulated-outcome';
import { DialRejectedError } from './voice-runtime';

const dial = (phoneNumber: string, attemptNumber = 1, inputAttributes: Record<string, string> = {}) => ({ phoneNumber, attemptNumber, inputAttributes });

describe('simulator outcome rule (PD4.3)', () => {
  it.each([
    ['+14155550100', 'answered'],
    ['+14155550101', 'answered'],
    ['+14155550102', 'answered'],
    ['+14155550103', 'answered'],
    ['+14155550104', 'answered'],
    ['+14155550105', 'answered'],
    ['+14155550106', 'busy'],
    ['+14155550107', 'no_answer'],
    ['+14155550108', 'voicemail'],
    ['+14155550109', 'failed'],
  ])('PD4.3 without a script, %s ends by its last digit: %s', (phoneNumber, outcome) => {
    expect(simulatedOutcome(dial(phoneNumber))).toBe(outcome);
    // Deterministic: the same number gives the same outcome on every attempt.
    expect(simulatedOutcome(dial(phoneNumber, 4))).toBe(outcome);
  });

  it('PD4.3 simulatorOutcomes gives attempt N the N-th entry and repeats the last one', () => {
    const script = { simulatorOutcomes: 'busy,no_answer,answered' };
    // The number alone would say "failed": the script wins.
    const outcomes = [1, 2, 3, 4, 9].map((n) => simulatedOutcome(dial('+14155550109', n, script)));
    expect(outcomes).toEqual(['busy', 'no_answer', 'answered', 'answered', 'answered']);
  });

  it('PD4.3 the script tolerates spaces, case and empty entries; a blank script falls back to the digit rule', () => {
    expect(scriptedOutcomes(' Busy ,, VOICEMAIL ,')).toEqual(['busy', 'voicemail']);
    expect(simulatedOutcome(dial('+14155550106', 1, { simulatorOutcomes: ' , ' }))).toBe('busy');
  });

  it('PD4.3 a script naming an unknown outcome is refused for good, naming the valid ones', () => {
    expect(() => simulatedOutcome(dial('+14155550100', 1, { simulatorOutcomes: 'busy,hung_up' }))).toThrow(DialRejectedError);
    expect(() => scriptedOutcomes('hung_up')).toThrow(/unknown outcome "hung_up".*answered, busy, no_answer, voicemail, failed/);
  });

  it('PD4.3 a number not ending in a digit is refused', () => {
    expect(() => simulatedOutcome(dial('+1415555010x'))).toThrow(DialRejectedError);
  });
});
