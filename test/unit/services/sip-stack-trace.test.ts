/**
 * The diagnostics wire trace ring buffer: bounded, oldest dropped first, newest last, filters and limit
 * over the ring in wire order also after it wrapped around, credentials redacted.
 * (It was an array spliced at its head on every record once full: O(capacity) per SIP message,
 * ~12 µs at 2000 entries, seen in the flood profile of test/integration/messaging-flood.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { WireTraceBuffer } from '../../../main/services/sip-stack-trace.ts';
import type { WireTraceEvent } from '../../../main/sip/transport/index.ts';
import type { AccountId } from '#shared/domain/ids.ts';

const A = 'acc-a' as AccountId;
const B = 'acc-b' as AccountId;

function event(n: number, callId: string): WireTraceEvent {
  const text = `MESSAGE sip:bob@example.test SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: ${String(n)} MESSAGE\r\nProxy-Authorization: Digest username="alice", response="0123456789abcdef0123456789abcdef"\r\nContent-Length: 0\r\n\r\n`;
  return {
    kind: 'message',
    direction: n % 2 === 0 ? 'out' : 'in',
    raw: Buffer.from(text),
    at: 1000 + n,
    remote: { protocol: 'udp', address: '127.0.0.1', port: 5060 },
    local: { protocol: 'udp', address: '127.0.0.1', port: 5062 },
  } as WireTraceEvent;
}

describe('WireTraceBuffer (diagnostics wire trace)', () => {
  it('keeps at most `capacity` entries, drops the oldest first and lists newest last after wrapping', () => {
    const trace = new WireTraceBuffer(5);
    for (let n = 1; n <= 13; n++) trace.record(n % 3 === 0 ? B : A, event(n, `c${String(n % 2)}`));
    expect(trace.size).toBe(5);
    const all = trace.list({ accountId: null, callId: null, limit: 100 });
    expect(all.map((e) => e.at)).toEqual([1009, 1010, 1011, 1012, 1013]);
    expect(all.map((e) => e.seq)).toEqual([9, 10, 11, 12, 13]);
    expect(trace.list({ accountId: null, callId: null, limit: 2 }).map((e) => e.at)).toEqual([1012, 1013]);
    expect(trace.list({ accountId: B, callId: null, limit: 100 }).map((e) => e.at)).toEqual([1009, 1012]);
    expect(trace.list({ accountId: A, callId: 'c1', limit: 100 }).map((e) => e.at)).toEqual([1011, 1013]);
  });

  it('before it is full, lists in recording order; every wrap position gives the same order as a plain log', () => {
    for (let count = 1; count <= 12; count++) {
      const trace = new WireTraceBuffer(4);
      for (let n = 1; n <= count; n++) trace.record(A, event(n, 'x'));
      const expected = Array.from({ length: count }, (_, i) => 1001 + i).slice(-4);
      expect(trace.list({ accountId: null, callId: null, limit: 10 }).map((e) => e.at)).toEqual(expected);
    }
  });

  it('MUST NOT keep the digest response (credentials redacted), and reads summary and Call-ID', () => {
    const trace = new WireTraceBuffer(3);
    const entry = trace.record(A, event(2, 'call-1'));
    expect(entry).toMatchObject({ summary: 'MESSAGE', callId: 'call-1', direction: 'sent', transport: 'UDP', remote: '127.0.0.1:5060' });
    expect(entry?.text).not.toContain('0123456789abcdef');
    expect(entry?.text).toContain('response="[redacted]"');
  });

  it('refuses a capacity below 1 (programmer fault)', () => {
    expect(() => new WireTraceBuffer(0)).toThrow();
  });
});
