/** Locales as BCP 47 tags in their canonical spelling (`en_us` and `EN-us` are both `en-US`). */
export function canonicalLocale(tag: string): string | undefined {
  if (!/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

function languageOf(locale: string): string {
  return locale.split('-')[0] as string;
}

/**
 * The template version for a contact (OM1.2): the contact's locale if the template has it, then a
 * language-only match (`fr-CA` → `fr`, else the first `fr-*` in sorted order), else the template's
 * default. `available` holds canonical locales; an unreadable or absent contact locale gets the default.
 */
export function chooseLocale(available: readonly string[], defaultLocale: string, requested: string | undefined): string {
  const wanted = requested === undefined ? undefined : canonicalLocale(requested);
  if (!wanted) return defaultLocale;
  if (available.includes(wanted)) return wanted;
  const language = languageOf(wanted);
  if (available.includes(language)) return language;
  const sameLanguage = available.filter((locale) => languageOf(locale) === language).sort();
  return sameLanguage[0] ?? defaultLocale;
}
