import { describe, expect, it } from 'vitest';
import { randomHex } from '../../../../main/sip/ua/random-token.ts';
import { newCallId, newTag } from '../../../../main/sip/ua/uac-request.ts';

describe('random tokens (RFC 3261 §19.3 tags, §8.1.1.4 Call-IDs) from a pooled CSPRNG', () => {
  it('gives the asked number of bytes as hex, never the same token twice across many pool refills', () => {
    const seen = new Set<string>();
    // 8 bytes each: 4096-byte pools, so this crosses ~100 refills
    for (let i = 0; i < 50_000; i++) {
      const t = newTag();
      expect(t).toMatch(/^[0-9a-f]{16}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(50_000);
    expect(newCallId('h.example')).toMatch(/^[0-9a-f]{32}@h\.example$/);
    expect(randomHex(1000)).toMatch(/^[0-9a-f]{2000}$/);
  });

  it('every hex digit shows up about equally often (the bytes are not zero-filled or repeated)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const c of randomHex(16)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    // 128,000 digits: 8,000 expected each; 5 % off would be ~20 standard deviations
    for (const n of counts.values()) expect(Math.abs(n - 8000)).toBeLessThan(400);
  });

  it('refuses a size that is no positive integer', () => {
    expect(() => randomHex(0)).toThrow(RangeError);
    expect(() => randomHex(1.5)).toThrow(RangeError);
  });
});
