import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGER_SIZE_LIMIT, splitForLimit } from '../../../../main/services/chats/split.ts';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const strip = (p: string): string => p.replace(/^\(\d+\/\d+\) /, '');
/** a part that cut a UTF-16 surrogate pair would not survive a UTF-8 round trip */
const wholeCodePoints = (p: string): boolean => Buffer.from(p, 'utf8').toString('utf8') === p;

describe('splitForLimit (RFC 3428 §8, 1300-byte pager limit)', () => {
  const overhead = 450;

  it('splits emoji text on character boundaries, each request within the limit, numbered (i/n)', () => {
    const text = '🙂'.repeat(700); // 2800 octets, 4 per character
    const parts = splitForLimit(text, PAGER_SIZE_LIMIT, overhead);
    expect(parts.length).toBe(4);
    parts.forEach((p, i) => {
      expect(p.startsWith(`(${String(i + 1)}/4) `)).toBe(true);
      expect(bytes(p) + overhead).toBeLessThanOrEqual(PAGER_SIZE_LIMIT);
      expect(wholeCodePoints(p)).toBe(true);
    });
    expect(parts.map(strip).join('')).toBe(text);
  });

  it('splits CJK (3-octet characters) without cutting a character', () => {
    const text = '漢字かな交じり文'.repeat(100);
    const parts = splitForLimit(text, PAGER_SIZE_LIMIT, overhead);
    for (const p of parts) {
      expect(bytes(p) + overhead).toBeLessThanOrEqual(PAGER_SIZE_LIMIT);
      expect(wholeCodePoints(p)).toBe(true);
    }
    expect(parts.map(strip).join('')).toBe(text);
  });

  it('keeps an emoji with skin tone and a ZWJ family together (grapheme clusters)', () => {
    const cluster = '👩🏽‍👩🏽‍👧🏽'; // several code points, one character on screen
    const text = `${'a'.repeat(830)}${cluster}${'b'.repeat(50)}`;
    const parts = splitForLimit(text, PAGER_SIZE_LIMIT, overhead);
    expect(parts.some((p) => p.includes(cluster))).toBe(true);
  });

  it('prefers to break after whitespace', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${String(i)}`).join(' ');
    const parts = splitForLimit(words, PAGER_SIZE_LIMIT, overhead).map(strip);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts.slice(0, -1)) expect(p.endsWith(' ')).toBe(true);
  });

  it('widens the numbering when there are ten parts or more, still within the limit', () => {
    const text = 'x'.repeat(12_000);
    const parts = splitForLimit(text, PAGER_SIZE_LIMIT, overhead);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    expect(parts[9]?.startsWith(`(10/${String(parts.length)}) `)).toBe(true);
    for (const p of parts) expect(bytes(p) + overhead).toBeLessThanOrEqual(PAGER_SIZE_LIMIT);
    expect(parts.map(strip).join('')).toBe(text);
  });

  it('property: any text splits into parts within the limit that concatenate back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1500 }), fc.integer({ min: 300, max: 900 }), (text, over) => {
        const parts = splitForLimit(text, PAGER_SIZE_LIMIT, over);
        for (const p of parts) {
          expect(bytes(p) + over).toBeLessThanOrEqual(PAGER_SIZE_LIMIT);
          expect(wholeCodePoints(p)).toBe(true);
        }
        expect(parts.map(strip).join('')).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});
