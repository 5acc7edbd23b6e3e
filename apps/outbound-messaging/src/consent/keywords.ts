/**
 * Opt-out, opt-in and help keywords of inbound messages (OM5.2).
 *
 * A keyword counts only as the whole message (trimmed, trailing `.`/`!` allowed), matched case- and
 * accent-insensitively, as Twilio's Advanced Opt-Out does: "Stop sending me offers" is a reply, not an opt-out.
 * Every locale's words are matched whatever the contact's locale, because the locale we hold may be wrong
 * and honouring an opt-out is the safe mistake; no word means one thing in one locale and another elsewhere.
 */

export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

export interface KeywordMatch {
  action: KeywordAction;
  /** The keyword as listed below (canonical spelling). */
  keyword: string;
  /** The locales that list it ('en' for Twilio's defaults). */
  locales: string[];
}

type KeywordTable = Record<string, Record<KeywordAction, readonly string[]>>;

/** Twilio's default keywords (en) plus common carrier and regulator words per locale. */
export const KEYWORDS: KeywordTable = {
  en: {
    opt_out: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
    opt_in: ['START', 'UNSTOP'],
    help: ['HELP', 'INFO'],
  },
  fr: { opt_out: ['ARRET', 'ARRÊT', 'STOP', 'DESABONNER', 'DÉSABONNER'], opt_in: ['START'], help: ['AIDE'] },
  de: { opt_out: ['ABMELDEN', 'STOPP', 'STOP', 'ABBESTELLEN'], opt_in: ['START', 'ANMELDEN'], help: ['HILFE'] },
  it: { opt_out: ['ANNULLA', 'STOP', 'DISISCRIVI', 'BASTA'], opt_in: ['START'], help: ['AIUTO'] },
  es: { opt_out: ['BAJA', 'ALTO', 'PARAR', 'CANCELAR'], opt_in: ['START'], help: ['AYUDA'] },
  pt: { opt_out: ['PARAR', 'SAIR', 'CANCELAR'], opt_in: ['START'], help: ['AJUDA'] },
  nl: { opt_out: ['AFMELDEN', 'STOPPEN', 'STOP'], opt_in: ['START', 'AANMELDEN'], help: ['HELP'] },
  zh: { opt_out: ['退订', 'TD', '取消订阅'], opt_in: ['订阅'], help: ['帮助'] },
};

/** Upper case without accents or surrounding blanks; trailing full stops and exclamation marks dropped. */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .replace(/[.!。！\s]+$/u, '')
    .toUpperCase();
}

function buildIndex(table: KeywordTable): Map<string, KeywordMatch> {
  const index = new Map<string, KeywordMatch>();
  for (const [locale, actions] of Object.entries(table)) {
    for (const action of Object.keys(actions) as KeywordAction[]) {
      for (const keyword of actions[action]) {
        const key = normalizeKeywordText(keyword);
        const known = index.get(key);
        if (known && known.action !== action) throw new Error(`keyword ${keyword} means ${known.action} and ${action}`);
        if (known) known.locales.push(locale);
        else index.set(key, { action, keyword: key, locales: [locale] });
      }
    }
  }
  return index;
}

const INDEX = buildIndex(KEYWORDS);

/** The keyword a whole inbound message is, or undefined for an ordinary reply. */
export function matchKeyword(text: string): KeywordMatch | undefined {
  const match = INDEX.get(normalizeKeywordText(text));
  return match && { ...match, locales: [...match.locales] };
}

/** The answer a keyword gets, in the contact's language (exact locale, then language, then English). */
export function keywordReply(action: KeywordAction, locale?: string): string {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (REPLIES[language] ?? REPLIES['en'])[action];
}

const REPLIES: Record<string, Record<KeywordAction, string>> = {
  en: {
    opt_out: 'You have been unsubscribed and will receive no further messages. Reply START to resubscribe.',
    opt_in: 'You have been resubscribed. Reply STOP to unsubscribe.',
    help: 'Reply STOP to unsubscribe, START to resubscribe.',
  },
  fr: {
    opt_out: 'Vous êtes désinscrit et ne recevrez plus de messages. Répondez START pour vous réinscrire.',
    opt_in: 'Vous êtes réinscrit. Répondez ARRET pour vous désinscrire.',
    help: 'Répondez ARRET pour vous désinscrire, START pour vous réinscrire.',
  },
  de: {
    opt_out: 'Sie sind abgemeldet und erhalten keine weiteren Nachrichten. Antworten Sie START, um sich wieder anzumelden.',
    opt_in: 'Sie sind wieder angemeldet. Antworten Sie STOPP, um sich abzumelden.',
    help: 'Antworten Sie STOPP zum Abmelden, START zum Anmelden.',
  },
  it: {
    opt_out: 'Sei stato disiscritto e non riceverai altri messaggi. Rispondi START per iscriverti di nuovo.',
    opt_in: 'Sei di nuovo iscritto. Rispondi STOP per disiscriverti.',
    help: 'Rispondi STOP per disiscriverti, START per iscriverti di nuovo.',
  },
  es: {
    opt_out: 'Se ha dado de baja y no recibirá más mensajes. Responda START para volver a suscribirse.',
    opt_in: 'Se ha vuelto a suscribir. Responda BAJA para darse de baja.',
    help: 'Responda BAJA para darse de baja, START para volver a suscribirse.',
  },
};
