import { describe, expect, it } from 'vitest';
import { canonicalLocale, chooseLocale } from './locale-choice';

describe('locale choice (OM1.2)', () => {
  const available = ['en-US', 'fr', 'pt-BR', 'pt-PT', 'zh-TW'];

  it.each([
    ['an exact match', 'fr', 'fr'],
    ['an exact match in another spelling', 'zh_tw', 'zh-TW'],
    ['a language-only match to the bare language', 'fr-CA', 'fr'],
    ['a language-only match to a regional version (first in order)', 'pt', 'pt-BR'],
    ['a language-only match between regions', 'en-GB', 'en-US'],
    ['no match: the default', 'de-DE', 'en-US'],
    ['no locale: the default', undefined, 'en-US'],
    ['an unreadable locale: the default', '../etc', 'en-US'],
  ])('OM1.2 %s', (_case, requested, chosen) => {
    expect(chooseLocale(available, 'en-US', requested)).toBe(chosen);
  });

  it('spells locales canonically and refuses what is not a language tag', () => {
    expect(canonicalLocale('EN-us')).toBe('en-US');
    expect(canonicalLocale('en')).toBe('en');
    expect(canonicalLocale('english please')).toBeUndefined();
    expect(canonicalLocale('')).toBeUndefined();
  });
});
