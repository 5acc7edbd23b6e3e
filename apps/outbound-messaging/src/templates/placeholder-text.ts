/**
 * Template text with placeholders (slugs, OM1.1): `Hello {{CustomerName}}, case {{ CaseName }} is open.`
 * Parsed once when the template is saved; rendering only concatenates values into the slots, so a value
 * that itself looks like `{{CaseName}}` stays text: nothing a contact sends is parsed (no injection).
 */
export type TextPiece = { text: string } | { placeholder: string };

export interface PlaceholderText {
  pieces: readonly TextPiece[];
  /** Each placeholder once, as written first. */
  placeholders: readonly string[];
}

export class PlaceholderSyntaxError extends Error {}

export const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Keys a JavaScript object lookup could resolve without a value (and that no request may send, P2.1). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof']);

/** Whether `name` can be a placeholder (and so a context item key that fills one). */
export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDER_NAME.test(name) && !RESERVED.has(name.toLowerCase());
}

/** Placeholders are matched regardless of letter case (the source: CustomerName "is not case-sensitive"). */
export function placeholderKey(name: string): string {
  return name.toLowerCase();
}

export function parsePlaceholderText(text: string): PlaceholderText {
  const pieces: TextPiece[] = [];
  const placeholders: string[] = [];
  const seen = new Set<string>();
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    const close = text.indexOf('}}', position);
    if (close >= 0 && (open < 0 || close < open)) throw new PlaceholderSyntaxError(`"}}" at character ${close + 1} closes no placeholder`);
    if (open < 0) break;
    const end = text.indexOf('}}', open + 2);
    if (end < 0) throw new PlaceholderSyntaxError(`"{{" at character ${open + 1} is never closed`);
    const inner = text.slice(open + 2, end);
    if (inner.includes('{') || inner.includes('}')) throw new PlaceholderSyntaxError(`placeholders cannot be nested (at character ${open + 1})`);
    const name = inner.trim();
    if (!PLACEHOLDER_NAME.test(name)) throw new PlaceholderSyntaxError(`{{${inner}}} is not a placeholder name (a letter, then letters, digits or _; at most 64)`);
    if (RESERVED.has(name.toLowerCase())) throw new PlaceholderSyntaxError(`{{${name}}} is a reserved name and cannot be a placeholder`);
    if (open > position) pieces.push({ text: text.slice(position, open) });
    pieces.push({ placeholder: name });
    if (!seen.has(placeholderKey(name))) {
      seen.add(placeholderKey(name));
      placeholders.push(name);
    }
    position = end + 2;
  }
  if (position < text.length) pieces.push({ text: text.slice(position) });
  return { pieces, placeholders };
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/**
 * The text with every placeholder filled from `values` (keyed by placeholderKey). A placeholder with
 * no value, or only white space, fails the whole text (OM1.3): a message never leaves with a slug in it.
 */
export function renderPlaceholderText(parsed: PlaceholderText, values: ReadonlyMap<string, string>): RenderResult {
  const missing = parsed.placeholders.filter((name) => !values.get(placeholderKey(name))?.trim());
  if (missing.length > 0) return { ok: false, missing };
  let text = '';
  for (const piece of parsed.pieces) text += 'text' in piece ? piece.text : (values.get(placeholderKey(piece.placeholder)) as string);
  return { ok: true, text };
}
