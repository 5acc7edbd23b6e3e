import { describe, expect, it } from 'vitest';
import { KEYWORDS, keywordReply, matchKeyword } from './keywords';

describe('opt-out keywords (OM5.2)', () => {
  it.each(['STOP', 'UNSUBSCRIBE', 'END', 'QUIT', 'STOPALL', 'REVOKE', 'OPTOUT', 'CANCEL'])('OM5.2 Twilio default %s opts out', (word) => {
    expect(matchKeyword(word)?.action).toBe('opt_out');
  });

  it.each([
    ['arret', 'fr'],
    ['Arrêt', 'fr'],
    ['ARRÊT', 'fr'],
    ['désabonner', 'fr'],
    ['abmelden', 'de'],
    ['Stopp', 'de'],
    ['annulla', 'it'],
    ['Baja', 'es'],
    ['alto', 'es'],
    ['退订', 'zh'],
  ])('OM5.2 per-locale keyword %s opts out (%s)', (text, locale) => {
    const match = matchKeyword(text);
    expect(match?.action).toBe('opt_out');
    expect(match?.locales).toContain(locale);
  });

  it('OM5.2 matches case- and accent-insensitively on the trimmed whole message', () => {
    expect(matchKeyword('  sToP \n')?.keyword).toBe('STOP');
    expect(matchKeyword('arrêt')?.keyword).toBe('ARRET');
    expect(matchKeyword('ÀRRET')?.action).toBe('opt_out');
    expect(matchKeyword('Stop.')?.action).toBe('opt_out');
    expect(matchKeyword('STOP!')?.action).toBe('opt_out');
  });

  it('OM5.2 a keyword inside a longer reply is an ordinary reply', () => {
    expect(matchKeyword('please stop')).toBeUndefined();
    expect(matchKeyword('Stop sending me offers')).toBeUndefined();
    expect(matchKeyword('STOPPED')).toBeUndefined();
    expect(matchKeyword('S T O P')).toBeUndefined();
    expect(matchKeyword('')).toBeUndefined();
    expect(matchKeyword('Thanks, see you on Monday')).toBeUndefined();
  });

  it('OM5.2 START and UNSTOP opt back in; HELP and INFO ask for help', () => {
    expect(matchKeyword('start')?.action).toBe('opt_in');
    expect(matchKeyword('Unstop')?.action).toBe('opt_in');
    expect(matchKeyword('help')?.action).toBe('help');
    expect(matchKeyword('INFO')?.action).toBe('help');
    expect(matchKeyword('aide')?.action).toBe('help');
    expect(matchKeyword('Hilfe')?.action).toBe('help');
  });

  it('OM5.2 STOP is listed by several locales and means opt-out in all of them', () => {
    expect(matchKeyword('stop')?.locales).toEqual(expect.arrayContaining(['en', 'fr', 'de', 'it', 'nl']));
  });

  it('OM5.2 no keyword means opt-out in one locale and opt-in or help in another', () => {
    const meaning = new Map<string, string>();
    for (const actions of Object.values(KEYWORDS)) {
      for (const [action, words] of Object.entries(actions)) {
        for (const word of words) {
          const key = word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
          expect(meaning.get(key) ?? action, key).toBe(action);
          meaning.set(key, action);
        }
      }
    }
  });

  it('OM5.2 replies in the contact language, by locale then language, else English', () => {
    expect(keywordReply('opt_out', 'fr-CA')).toContain('désinscrit');
    expect(keywordReply('help', 'de')).toContain('STOPP');
    expect(keywordReply('opt_in', 'ja-JP')).toContain('resubscribed');
    expect(keywordReply('opt_out')).toContain('unsubscribed');
  });
});
