import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../main/storage/address-key.ts';
import { decodeCursor, encodeCursor } from '../../../main/storage/cursor.ts';

describe('addressKey (RFC 3261 §19.1.4 comparison: host case-insensitive, user case-sensitive)', () => {
  it.each([
    ['sip:bob@example.test', 'bob@example.test'],
    ['SIPS:bob@EXAMPLE.test:5061;transport=tls', 'bob@example.test'],
    ['"Bob" <sip:bob@Example.Test>;tag=1', 'bob@example.test'],
    ['im:bob@example.test', 'bob@example.test'],
    ['bob@example.test', 'bob@example.test'],
    ['sip:Bob@example.test', 'Bob@example.test'],
    ['sip:bob:secret@example.test', 'bob@example.test'],
    ['sip:alice@[2001:DB8::1]:5060', 'alice@[2001:db8::1]'],
    ['sip:example.test', 'example.test'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('paging cursor', () => {
  it('round-trips a key and rejects anything it did not make', () => {
    const key = { createdAt: 1_700_000_000_123, id: 98_765 };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    for (const bad of ['', 'k1.', 'k1.abc', 'k2.1.1', 'k1.1.0', "k1.1.1' --", 'k1.zzzzzzzzzzzzz.1']) {
      expect(() => decodeCursor(bad), bad).toThrow(/invalid paging cursor/);
    }
  });
});
