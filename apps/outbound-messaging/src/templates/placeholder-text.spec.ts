import { describe, expect, it } from 'vitest';
import { isPlaceholderName, parsePlaceholderText, PlaceholderSyntaxError, renderPlaceholderText } from './placeholder-text';

const values = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([key, value]) => [key.toLowerCase(), value]));

describe('placeholder text (OM1.1, OM1.3)', () => {
  it('OM1.1 fills CustomerName, CaseName and context items, with spaces inside the braces and in any letter case', () => {
    const parsed = parsePlaceholderText('Hi {{CustomerName}}, case {{ CaseName }} ships {{deliveryDate}}.');
    expect(parsed.placeholders).toEqual(['CustomerName', 'CaseName', 'deliveryDate']);
    expect(renderPlaceholderText(parsed, values({ customername: 'Dana', CASENAME: 'CAS-1', DeliveryDate: 'Monday' }))).toEqual({ ok: true, text: 'Hi Dana, case CAS-1 ships Monday.' });
  });

  it('OM1.3 a placeholder without a value (absent, empty or blank) fails the text, naming each one', () => {
    const parsed = parsePlaceholderText('{{CustomerName}} {{CaseName}} {{orderId}} {{CustomerName}}');
    expect(renderPlaceholderText(parsed, values({ CustomerName: 'Dana', CaseName: '   ' }))).toEqual({ ok: false, missing: ['CaseName', 'orderId'] });
  });

  it('OM1.3 template injection: a value that looks like a placeholder stays text; it is never rendered again', () => {
    const parsed = parsePlaceholderText('Hello {{CustomerName}}');
    expect(renderPlaceholderText(parsed, values({ CustomerName: '{{CaseName}} ${process.env}' }))).toEqual({ ok: true, text: 'Hello {{CaseName}} ${process.env}' });
  });

  it.each([
    ['an unclosed placeholder', 'Hi {{CustomerName', /never closed/],
    ['a stray closing', 'Hi CustomerName}}', /closes no placeholder/],
    ['nested braces', 'Hi {{Customer{{Name}}}}', /nested/],
    ['triple braces', 'Hi {{{CustomerName}}}', /nested/],
    ['a prototype key', 'Hi {{constructor}}', /reserved/],
    ['__proto__', 'Hi {{__proto__}}', /not a placeholder name|reserved/],
    ['an expression', 'Hi {{CustomerName.toUpperCase()}}', /not a placeholder name/],
    ['an empty placeholder', 'Hi {{ }}', /not a placeholder name/],
  ])('OM1.1 refuses %s when the template is saved', (_case, text, message) => {
    expect(() => parsePlaceholderText(text)).toThrow(PlaceholderSyntaxError);
    expect(() => parsePlaceholderText(text)).toThrow(message);
  });

  it('keeps single braces as text', () => {
    expect(renderPlaceholderText(parsePlaceholderText('{a} {{x}} }'), values({ x: '1' }))).toEqual({ ok: true, text: '{a} 1 }' });
  });

  it('names usable as context item keys', () => {
    expect(isPlaceholderName('orderId')).toBe(true);
    expect(isPlaceholderName('order id')).toBe(false);
    expect(isPlaceholderName('toString')).toBe(false);
  });
});
