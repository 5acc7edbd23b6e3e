import { type KeywordMatch, keywordReply } from './keywords';

/** A HELP answer fits in three SMS segments. */
export const HELP_TEXT_MAX_LENGTH = 459;

/** What a HELP answer needs of the channel the customer wrote to. */
export interface HelpAnsweringChannel {
  name: string;
  helpText: string | null;
}

/**
 * The answer to a HELP keyword (OM5.2): the channel's own text, else a default naming the channel and how to
 * opt out, in the language of the word the customer used (AIDE → French, HELP → English).
 */
export function helpAnswer(channel: HelpAnsweringChannel, keyword: KeywordMatch): { text: string; locale: string } {
  const locale = keyword.locales[0] ?? 'en';
  return { locale, text: channel.helpText ?? `${channel.name}: ${keywordReply('help', locale)}` };
}
