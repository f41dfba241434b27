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

  it('add() keeps a message undecoded (issue 18); listed, it is the entry record() gives, also after its buffer is reused', () => {
    const lazy = new WireTraceBuffer(10);
    const eager = new WireTraceBuffer(10);
    const events = [event(1, 'call-1'), event(2, 'call-2'), { ...event(3, 'call-3'), kind: 'keepalive' } as WireTraceEvent, event(4, 'call-1')];
    const recorded = events.map((e) => eager.record(A, e));
    expect(events.map((e) => lazy.add(A, e))).toEqual([1, 2, null, 3]);
    // a stream's read buffer is reused after the event: what was kept must not change with it
    for (const e of events) e.raw.fill(0x78);
    expect(lazy.list({ accountId: null, callId: null, limit: 10 })).toEqual(recorded.filter((r) => r !== null));
    expect(lazy.list({ accountId: A, callId: 'call-1', limit: 10 }).map((e) => e.seq)).toEqual([1, 3]);
    expect(lazy.list({ accountId: null, callId: null, limit: 10 })[0]?.text).toContain('response="[redacted]"');
  });

  it('keeps a stable event\'s octets as they are (a datagram: issue 18, no copy per message), a large one cut', () => {
    const trace = new WireTraceBuffer(10);
    const datagram = { ...event(1, 'call-1'), stable: true } as WireTraceEvent;
    trace.add(A, datagram);
    // nobody writes to a stable buffer: what the trace shows is those very octets
    datagram.raw.write('OPTIONS', 0, 'latin1');
    expect(trace.list({ accountId: null, callId: null, limit: 10 })[0]?.summary).toBe('OPTIONS');
    const large = { ...event(2, 'call-2'), stable: true, raw: Buffer.concat([event(2, 'call-2').raw, Buffer.alloc(60_000, 0x61)]) } as WireTraceEvent;
    trace.add(A, large);
    large.raw.fill(0x78);
    expect(trace.list({ accountId: null, callId: 'call-2', limit: 10 })[0]?.summary).toBe('MESSAGE');
  });

  it('refuses a capacity below 1 (programmer fault)', () => {
    expect(() => new WireTraceBuffer(0)).toThrow();
  });
});

describe('WireTraceBuffer bounded in bytes (issue 10)', () => {
  const big = (n: number): WireTraceEvent => {
    const e = event(n, `big-${String(n)}`);
    return { ...e, raw: Buffer.concat([e.raw, Buffer.alloc(60_000, 0x61)]) } as WireTraceEvent;
  };

  it('a 60 KB message keeps its start line and headers and says how much was cut', () => {
    const t = new WireTraceBuffer();
    const entry = t.record(A, big(1));
    expect(entry?.summary).toBe('MESSAGE');
    expect(entry?.callId).toBe('big-1');
    expect(entry?.text.length).toBeLessThan(8 * 1024 + 100);
    expect(entry?.text).toMatch(/… \[\d+ more bytes not kept in the trace\]$/);
    expect(entry?.text).toContain('response="[redacted]"');
  });

  it('2,000 large messages stay under the byte budget, newest kept, seq order intact', () => {
    const budget = 1_000_000;
    const t = new WireTraceBuffer(2000, budget);
    for (let i = 0; i < 2000; i++) t.record(A, big(i));
    expect(t.bytes).toBeLessThanOrEqual(budget);
    expect(t.size).toBeLessThan(2000);
    const listed = t.list({ accountId: null, callId: null, limit: 5000 });
    expect(listed.at(-1)?.callId).toBe('big-1999');
    expect(listed.map((e) => e.seq)).toEqual([...listed.map((e) => e.seq)].sort((a, b) => a - b));
    expect(listed).toHaveLength(t.size);
  });

  it('a note is an entry of its own, plain text, counted like the others', () => {
    const t = new WireTraceBuffer(2);
    t.record(A, event(1, 'c1'));
    const note = t.note(A, 5, 'c1', 'MESSAGE: asked for a password by an unknown realm x');
    expect(note).toMatchObject({ direction: 'note', text: 'MESSAGE: asked for a password by an unknown realm x' });
    t.record(B, event(2, 'c2'));
    expect(t.list({ accountId: null, callId: null, limit: 10 }).map((e) => e.direction)).toEqual(['note', 'sent']);
  });
});
