import { describe, expect, it } from 'vitest';
import { countSmsSegments } from './sms-segments';

describe('SMS segment count (OM1 preview)', () => {
  it.each([
    ['160 GSM-7 characters: one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters: two of 153', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters: two', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM-7 characters: three', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['extension characters take two septets', '€'.repeat(80), 'GSM-7', 160, 1],
    ['an escape pair is not split across segments', 'a'.repeat(152) + '€' + 'a'.repeat(10), 'GSM-7', 164, 2],
    ['accented letters of the GSM alphabet stay GSM-7', 'Ménage à Ñoño', 'GSM-7', 13, 1],
    ['one letter outside the alphabet (ú) makes it UCS-2', 'Ménage à Ñandú', 'UCS-2', 14, 1],
    ['70 UCS-2 characters: one segment', 'é'.repeat(69) + 'ç', 'UCS-2', 70, 1],
    ['71 UCS-2 characters: two of 67', 'ç'.repeat(71), 'UCS-2', 71, 2],
    ['Chinese text is UCS-2', '您的案例已建立', 'UCS-2', 7, 1],
    ['an emoji takes two code units and is not split', 'a'.repeat(66) + '😀' + 'a'.repeat(5), 'UCS-2', 73, 2],
  ])('%s', (_case, text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toMatchObject({ encoding, units, segments });
  });

  it('counts characters as the customer sees them', () => {
    expect(countSmsSegments('😀😀')).toEqual({ encoding: 'UCS-2', characters: 2, units: 4, segments: 1 });
  });

  it('an empty text takes no segment', () => {
    expect(countSmsSegments('').segments).toBe(0);
  });
});
