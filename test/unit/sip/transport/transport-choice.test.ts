import { describe, expect, it } from 'vitest';
import { isRfc3261Branch, newBranch } from '../../../../main/sip/message/index.ts';
import { chooseTransportForSize } from '../../../../main/sip/transport/transport-choice.ts';

describe('RFC 3261 §18.1.1 size rule', () => {
  it('a request larger than 1300 bytes with unknown MTU MUST go over TCP when the target supports it', () => {
    expect(chooseTransportForSize({ protocol: 'udp', size: 1301, targetSupportsTcp: true })).toBe('tcp');
  });
  it('exactly 1300 bytes stays on UDP', () => {
    expect(chooseTransportForSize({ protocol: 'udp', size: 1300, targetSupportsTcp: true })).toBe('udp');
  });
  it('stays on UDP when the target has no TCP', () => {
    expect(chooseTransportForSize({ protocol: 'udp', size: 5000, targetSupportsTcp: false })).toBe('udp');
  });
  it('with a known path MTU: within 200 bytes of it goes to TCP', () => {
    expect(chooseTransportForSize({ protocol: 'udp', size: 1299, targetSupportsTcp: true, pathMtu: 1500 })).toBe('udp');
    expect(chooseTransportForSize({ protocol: 'udp', size: 1300, targetSupportsTcp: true, pathMtu: 1500 })).toBe('tcp');
    expect(chooseTransportForSize({ protocol: 'udp', size: 8000, targetSupportsTcp: true, pathMtu: 9000 })).toBe('udp');
  });
  it('TCP and TLS are never changed', () => {
    expect(chooseTransportForSize({ protocol: 'tls', size: 60000, targetSupportsTcp: true })).toBe('tls');
    expect(chooseTransportForSize({ protocol: 'tcp', size: 10, targetSupportsTcp: true })).toBe('tcp');
  });
});

describe('Via branch (RFC 3261 §8.1.1.7)', () => {
  it('MUST start with the magic cookie z9hG4bK and be unique', () => {
    const branches = new Set(Array.from({ length: 200 }, () => newBranch()));
    expect(branches.size).toBe(200);
    for (const b of branches) {
      expect(b).toMatch(/^z9hG4bK[A-Za-z0-9_-]{16}$/); // base64url: token characters only (§25.1)
      expect(isRfc3261Branch(b)).toBe(true);
    }
    expect(isRfc3261Branch('z9hG4bK')).toBe(false);
    expect(isRfc3261Branch('1234')).toBe(false);
  });
});
