import { describe, expect, it } from 'vitest';
import { decodeTelephoneEvent, DtmfEventSender, DtmfReceiver, dtmfDigit, dtmfEventCode, encodeTelephoneEvent, type DtmfDigitEvent } from '../../../main/media/dtmf.ts';

describe('RFC 4733 telephone-event payload (§2.3)', () => {
  it('MUST encode event, E bit, volume and duration in 4 octets', () => {
    expect(Array.from(encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }))).toEqual([11, 0x8a, 0x03, 0x20]);
    expect(decodeTelephoneEvent(Uint8Array.of(5, 0x0a, 0, 160))).toEqual({ event: 5, end: false, volume: 10, duration: 160 });
    expect(decodeTelephoneEvent(Uint8Array.of(5, 0))).toBeNull();
  });

  it('maps digits to event codes per §3.2 (0-9, * = 10, # = 11, A-D = 12-15)', () => {
    expect([...'0123456789*#ABCD'].map(dtmfEventCode)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(dtmfEventCode('x')).toBeNull();
    expect(dtmfDigit(11)).toBe('#');
    expect(dtmfDigit(99)).toBeNull();
  });
});

describe('sending one event (RFC 4733 §2.5.1)', () => {
  it('MUST mark the first packet, keep one timestamp, grow the duration and send the end packet three times', () => {
    const s = new DtmfEventSender({ event: 5, timestamp: 48000, durationMs: 100 });
    const packets = [];
    for (let p = s.next(); p !== null; p = s.next()) packets.push({ ...p, e: decodeTelephoneEvent(p.payload) });
    expect(packets).toHaveLength(5 + 2); // 100 ms = 5 packets of 20 ms, the last one sent 3 times
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(new Set(packets.map((p) => p.timestamp))).toEqual(new Set([48000]));
    expect(packets.map((p) => p.e?.duration)).toEqual([160, 320, 480, 640, 800, 800, 800]);
    expect(packets.map((p) => p.e?.end)).toEqual([false, false, false, false, true, true, true]);
    expect(packets.every((p) => p.e?.event === 5 && p.e.volume === 10)).toBe(true);
    expect(s.done).toBe(true);
  });

  it('rounds a short press up to one packet time', () => {
    const s = new DtmfEventSender({ event: 1, timestamp: 0, durationMs: 5 });
    const durations = [];
    for (let p = s.next(); p !== null; p = s.next()) durations.push(decodeTelephoneEvent(p.payload)?.duration);
    expect(durations).toEqual([160, 160, 160]);
  });
});

describe('receiving events (RFC 4733 §2.5.2)', () => {
  it('MUST yield one digit per event despite continuation and the three end packets', () => {
    const digits: DtmfDigitEvent[] = [];
    const r = new DtmfReceiver((d) => digits.push(d));
    const send = (ts: number, event: number, ms: number): void => {
      const s = new DtmfEventSender({ event, timestamp: ts, durationMs: ms });
      for (let p = s.next(); p !== null; p = s.next()) r.receive(p.timestamp, p.payload);
    };
    send(1000, 1, 100);
    send(3000, 1, 100); // same digit again, new timestamp = a new key press
    send(5000, 11, 60);
    expect(digits.map((d) => d.digit).join('')).toBe('11#');
  });

  it('still reports a digit when only its end packets arrive, and rejects a malformed payload', () => {
    const digits: string[] = [];
    const r = new DtmfReceiver((d) => digits.push(d.digit));
    expect(r.receive(7, encodeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 800 }))).toBe(true);
    expect(r.receive(7, encodeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 800 }))).toBe(true);
    expect(r.receive(8, Uint8Array.of(1))).toBe(false);
    expect(digits).toEqual(['9']);
  });
});
