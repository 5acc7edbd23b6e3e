import { describe, expect, it } from 'vitest';
import { helpAnswer } from './help-answer';
import { matchKeyword } from './keywords';

describe('HELP answer text (OM5.2)', () => {
  const keyword = (text: string) => matchKeyword(text) ?? expect.fail(`${text} is no keyword`);

  it.each([
    ['HELP', 'en', 'Support line: Reply STOP to unsubscribe, START to resubscribe.'],
    ['Aide', 'fr', 'Support line: Répondez ARRET pour vous désinscrire, START pour vous réinscrire.'],
    ['hilfe', 'de', 'Support line: Antworten Sie STOPP zum Abmelden, START zum Anmelden.'],
  ])('OM5.2 %s gets the default naming the channel and how to opt out, in its language (%s)', (text, locale, answer) => {
    expect(helpAnswer({ name: 'Support line', helpText: null }, keyword(text))).toEqual({ locale, text: answer });
  });

  it("OM5.2 the channel's configured text wins", () => {
    expect(helpAnswer({ name: 'Support line', helpText: 'Call 0800 123 456. Reply STOP to opt out.' }, keyword('AIDE')).text).toBe('Call 0800 123 456. Reply STOP to opt out.');
  });
});
