import { chooseLocale } from './locale-choice';
import { parsePlaceholderText, placeholderKey, type PlaceholderText, renderPlaceholderText } from './placeholder-text';
import { countSmsSegments, type SmsSegmentCount } from './sms-segments';

export type ChannelType = 'sms' | 'whatsapp';
export const CHANNEL_TYPES = ['sms', 'whatsapp'] as const satisfies readonly ChannelType[];

/** A localized version as stored: the text, and for WhatsApp the provider's approved template and its variables. */
export interface TemplateVersion {
  text: string;
  /** WhatsApp: the approved template's id at the provider (a Twilio Content SID, HX…). */
  providerTemplateId?: string;
  /** WhatsApp: the approved template's numbered variables, each filled from placeholder text. */
  variables?: Record<string, string>;
}

export interface StoredTemplate {
  channelType: string;
  defaultLocale: string;
  versions: Record<string, TemplateVersion>;
}

interface CompiledVersion {
  text: PlaceholderText;
  providerTemplateId?: string;
  variables: [name: string, text: PlaceholderText][];
}

/** A template parsed once, ready to render for many contacts. */
export interface CompiledTemplate {
  channelType: ChannelType;
  defaultLocale: string;
  locales: string[];
  versions: Map<string, CompiledVersion>;
}

export interface RenderedMessage {
  locale: string;
  body: string;
  whatsappTemplate?: { id: string; variables: Record<string, string> };
  sms?: SmsSegmentCount;
}

export type RenderOutcome = ({ ok: true } & RenderedMessage) | { ok: false; locale: string; missing: string[] };

/** Parses a stored template (validated on save, so a syntax error here is a bug, thrown as such). */
export function compileTemplate(template: StoredTemplate): CompiledTemplate {
  const versions = new Map<string, CompiledVersion>();
  for (const [locale, version] of Object.entries(template.versions)) {
    versions.set(locale, {
      text: parsePlaceholderText(version.text),
      ...(version.providerTemplateId !== undefined && { providerTemplateId: version.providerTemplateId }),
      variables: Object.entries(version.variables ?? {}).map(([name, text]) => [name, parsePlaceholderText(text)]),
    });
  }
  return { channelType: template.channelType as ChannelType, defaultLocale: template.defaultLocale, locales: [...versions.keys()], versions };
}

/** The values a contact brings, keyed for lookup: context items, then CustomerName and CaseName (OM1.1). */
export function placeholderValues(contact: { CustomerName: string; CaseName: string; contextitems?: Record<string, string> }): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(contact.contextitems ?? {})) values.set(placeholderKey(key), value);
  values.set(placeholderKey('CustomerName'), contact.CustomerName);
  values.set(placeholderKey('CaseName'), contact.CaseName);
  return values;
}

/** Renders the version of the contact's locale (OM1.2); any placeholder without a value fails it (OM1.3). */
export function renderTemplate(template: CompiledTemplate, locale: string | undefined, values: ReadonlyMap<string, string>): RenderOutcome {
  const chosen = chooseLocale(template.locales, template.defaultLocale, locale);
  const version = template.versions.get(chosen) as CompiledVersion;
  const body = renderPlaceholderText(version.text, values);
  const variables: Record<string, string> = {};
  const missing = body.ok ? [] : [...body.missing];
  for (const [name, text] of version.variables) {
    const rendered = renderPlaceholderText(text, values);
    if (rendered.ok) variables[name] = rendered.text;
    else missing.push(...rendered.missing.filter((slug) => !missing.includes(slug)));
  }
  if (!body.ok || missing.length > 0) return { ok: false, locale: chosen, missing };
  if (template.channelType === 'whatsapp') {
    return { ok: true, locale: chosen, body: body.text, whatsappTemplate: { id: version.providerTemplateId as string, variables } };
  }
  return { ok: true, locale: chosen, body: body.text, sms: countSmsSegments(body.text) };
}

export function missingValuesReason(missing: readonly string[]): string {
  return `the template needs a value for ${missing.map((name) => `{{${name}}}`).join(', ')}: give it as ${missing.length > 1 ? 'contextitems entries' : 'a contextitems entry'} (or CustomerName / CaseName)`;
}
