import { type CrmVariable, isCrmVariable } from './crm-variables';
import { CrmTemplateError } from './template-error';

/** A piece of a parsed template: fixed text, or a variable whose value is put in as data. */
export type TemplateSegment = { text: string } | { variable: CrmVariable };

export interface ParsedTemplate {
  segments: readonly TemplateSegment[];
  variables: readonly CrmVariable[];
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Splits `…{VARIABLE}…` into text and variables, once, when the template is saved. Rendering only
 * concatenates values into the slots, so a value that itself looks like `{EMAIL}` or `=CONCAT_OR(…)`
 * stays text: nothing a caller sends is ever parsed as a template (no template injection).
 */
export function parseTemplate(template: string, where: string): ParsedTemplate {
  const segments: TemplateSegment[] = [];
  const variables: CrmVariable[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    pushText(segments, template.slice(last, index), where);
    const name = match[1] ?? '';
    if (!isCrmVariable(name)) {
      throw new CrmTemplateError(`${where}: {${name}} is not a known variable (names are case-sensitive, e.g. {PHONE_NUMBER}, {Call_ID})`);
    }
    segments.push({ variable: name });
    variables.push(name);
    last = index + match[0].length;
  }
  pushText(segments, template.slice(last), where);
  return { segments, variables };
}

function pushText(segments: TemplateSegment[], text: string, where: string): void {
  if (text.length === 0) return;
  const stray = text.search(/[{}]/);
  if (stray >= 0) throw new CrmTemplateError(`${where}: unmatched "${text[stray]}" in "${text}"; variables are written {NAME}`);
  segments.push({ text });
}

/**
 * The template with each variable's value put in (through `encode`, e.g. for URLs). A variable
 * without a value renders as nothing and is named in `missing`, so that the caller decides: a URL
 * refuses, a function drops the term (CS3.2).
 */
export function renderTemplate(parsed: ParsedTemplate, valueOf: (variable: CrmVariable) => string | undefined, encode: (value: string) => string = (value) => value): { text: string; missing: CrmVariable[] } {
  let text = '';
  const missing: CrmVariable[] = [];
  for (const segment of parsed.segments) {
    if ('text' in segment) {
      text += segment.text;
      continue;
    }
    const value = valueOf(segment.variable);
    if (value === undefined || value === '') missing.push(segment.variable);
    else text += encode(value);
  }
  return { text, missing };
}
