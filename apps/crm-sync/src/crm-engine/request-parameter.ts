import type { CrmVariable } from './crm-variables';
import { type ParsedTemplate, parseTemplate, renderTemplate } from './template';
import { CrmTemplateError } from './template-error';

/** The functions of CS3.2. */
export const CRM_FUNCTIONS = ['DEFAULT_VALUE', 'CONCAT_OR', 'CONCAT_AND'] as const;
export type CrmFunction = (typeof CRM_FUNCTIONS)[number];

/**
 * A request parameter's value (CS2.1): a literal (text or number, sent as written), a variable
 * (text holding `{VARIABLE}` placeholders), or a function `=NAME(term, term, …)`.
 */
export type RequestParameter =
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'variable'; template: ParsedTemplate }
  | { kind: 'function'; name: CrmFunction; terms: ParsedTemplate[] };

const FUNCTION_CALL = /^=\s*([A-Za-z_]+)\s*\(([\s\S]*)\)\s*$/;

/** Reads a parameter as an administrator wrote it; a CrmTemplateError says what is wrong and where. */
export function parseRequestParameter(key: string, written: string | number | boolean): RequestParameter {
  const where = `parameter "${key}"`;
  if (typeof written !== 'string') return { kind: 'literal', value: written };
  if (written.trimStart().startsWith('=')) return parseFunction(written, where);
  const template = parseTemplate(written, where);
  return template.variables.length === 0 ? { kind: 'literal', value: written } : { kind: 'variable', template };
}

function parseFunction(written: string, where: string): RequestParameter {
  const call = FUNCTION_CALL.exec(written);
  if (!call) throw new CrmTemplateError(`${where}: a function is written =NAME(value, value, …), e.g. =DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)`);
  const name = (call[1] ?? '').toUpperCase();
  if (!(CRM_FUNCTIONS as readonly string[]).includes(name)) {
    throw new CrmTemplateError(`${where}: ${call[1]} is not a function; use one of ${CRM_FUNCTIONS.join(', ')}`);
  }
  const terms = splitTerms(call[2] ?? '', where).map((term, index) => parseTemplate(term, `${where}, value ${index + 1} of ${name}`));
  if (name === 'DEFAULT_VALUE' && terms.length !== 2) throw new CrmTemplateError(`${where}: DEFAULT_VALUE takes exactly two values (the value, then its default), not ${terms.length}`);
  if (terms.length === 0) throw new CrmTemplateError(`${where}: ${name} needs at least one value`);
  return { kind: 'function', name: name as CrmFunction, terms };
}

/**
 * Splits function arguments at the commas outside parentheses and double quotes, so that a Zoho
 * term such as `(Email:equals:{EMAIL})` stays one term; `"a, b"` is a term holding a comma.
 */
function splitTerms(inside: string, where: string): string[] {
  const terms: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (const character of inside) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '(') depth++;
    else if (!quoted && character === ')') depth--;
    if (depth < 0) throw new CrmTemplateError(`${where}: a ")" closes no "("`);
    if (character === ',' && depth === 0 && !quoted) {
      terms.push(current);
      current = '';
    } else current += character;
  }
  if (quoted) throw new CrmTemplateError(`${where}: a double quote is not closed`);
  if (depth !== 0) throw new CrmTemplateError(`${where}: a "(" is not closed`);
  terms.push(current);
  if (terms.length === 1 && terms[0]?.trim() === '') return [];
  return terms.map((term) => unquote(term.trim(), where));
}

function unquote(term: string, where: string): string {
  if (term === '') throw new CrmTemplateError(`${where}: an empty value between commas`);
  return term.length >= 2 && term.startsWith('"') && term.endsWith('"') ? term.slice(1, -1) : term;
}

/**
 * The parameter's value for this session, or undefined when it is to be left out of the request:
 * a function yields a string, or nothing, which removes its parameter (CS3.2). A variable without a
 * value is sent empty (only functions remove parameters, as in the source).
 */
export function resolveRequestParameter(parameter: RequestParameter, valueOf: (variable: CrmVariable) => string | undefined): string | number | boolean | undefined {
  switch (parameter.kind) {
    case 'literal':
      return parameter.value;
    case 'variable':
      return renderTemplate(parameter.template, valueOf).text;
    case 'function':
      return applyFunction(parameter.name, parameter.terms, valueOf);
  }
}

function applyFunction(name: CrmFunction, terms: ParsedTemplate[], valueOf: (variable: CrmVariable) => string | undefined): string | undefined {
  // A term that refers to a variable with no value is dropped, and so is an empty one.
  const values = terms.map((term) => {
    const rendered = renderTemplate(term, valueOf);
    return rendered.missing.length > 0 || rendered.text === '' ? undefined : rendered.text;
  });
  switch (name) {
    case 'DEFAULT_VALUE':
      return values[0] ?? values[1];
    case 'CONCAT_OR':
      return joined(values, ' or ');
    case 'CONCAT_AND':
      return joined(values, ' and ');
  }
}

function joined(values: (string | undefined)[], separator: string): string | undefined {
  const present = values.filter((value): value is string => value !== undefined);
  return present.length > 0 ? present.join(separator) : undefined;
}
