/**
 * DTMF as RFC 4733 telephone-events (§2.3 payload format, §3.2 DTMF event codes 0-16).
 *
 * Sending (§2.5.1): one event = a run of packets that share the event's start timestamp; the first
 * carries the marker bit (§2.5.1.3 "the first packet of an event"); the duration field grows by one
 * packet time each packet; the final packet has the E bit and is sent three times in total (§2.5.1.4
 * "the final packet ... SHOULD be retransmitted"), all with the same timestamp and final duration.
 *
 * Receiving (§2.5.2): a new timestamp (or new event code) starts a new event; duplicates and the end
 * retransmissions of one event are folded so each key press yields exactly one digit.
 */

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  /** power level of the tone, 0 to -63 dBm0 expressed as 0..63 */
  readonly volume: number;
  /** duration in timestamp units (8 kHz: 160 per 20 ms) */
  readonly duration: number;
}

const DIGITS = '0123456789*#ABCD';

/** §3.2: 0-9 → 0-9, * → 10, # → 11, A-D → 12-15, flash → 16 */
export function dtmfEventCode(digit: string): number | null {
  const upper = digit.toUpperCase();
  if (upper === '!' || upper === 'FLASH') return 16;
  const i = DIGITS.indexOf(upper);
  return upper.length === 1 && i >= 0 ? i : null;
}

export function dtmfDigit(event: number): string | null {
  if (event === 16) return '!';
  return DIGITS[event] ?? null;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f); // R bit (0x40) is reserved, sent as zero
  out[2] = (e.duration >> 8) & 0xff;
  out[3] = e.duration & 0xff;
  return out;
}

export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  // §2.3: the payload may carry more than one event block (redundancy); we read the first
  if (payload.length < 4) return null;
  return {
    event: payload[0] ?? 0,
    end: ((payload[1] ?? 0) & 0x80) !== 0,
    volume: (payload[1] ?? 0) & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

export interface DtmfPacket {
  readonly payload: Uint8Array;
  readonly marker: boolean;
  /** the event's start timestamp, identical for every packet of the event */
  readonly timestamp: number;
}

/**
 * Produces the packets of one event, one per ptime tick. `next()` returns null once the three end
 * packets are out. Pure: the caller supplies the pacing and the RTP sequence numbers.
 */
export class DtmfEventSender {
  private readonly event: number;
  private readonly timestamp: number;
  private readonly totalDuration: number;
  private readonly step: number;
  private readonly volume: number;
  private duration = 0;
  private endSent = 0;

  constructor(opts: { event: number; timestamp: number; durationMs: number; clockRate?: number; ptimeMs?: number; volume?: number }) {
    const rate = opts.clockRate ?? 8000;
    this.step = ((opts.ptimeMs ?? 20) * rate) / 1000;
    this.event = opts.event;
    this.timestamp = opts.timestamp >>> 0;
    // at least one packet time; whole packet times; §2.5.2.3 the 16-bit field caps the duration
    this.totalDuration = Math.min(0xffff, Math.max(this.step, Math.ceil((opts.durationMs * rate) / 1000 / this.step) * this.step));
    this.volume = opts.volume ?? 10;
  }

  get done(): boolean {
    return this.endSent >= 3;
  }

  next(): DtmfPacket | null {
    if (this.done) return null;
    const first = this.duration === 0;
    if (this.duration < this.totalDuration) this.duration = Math.min(this.totalDuration, this.duration + this.step);
    const end = this.duration >= this.totalDuration;
    if (end) this.endSent++;
    return {
      payload: encodeTelephoneEvent({ event: this.event, end, volume: this.volume, duration: this.duration }),
      marker: first,
      timestamp: this.timestamp,
    };
  }
}

export interface DtmfDigitEvent {
  readonly digit: string;
  readonly event: number;
  readonly volume: number;
}

/** Folds telephone-event packets into digits: one digit per (timestamp, event) pair. */
export class DtmfReceiver {
  private lastKey: string | null = null;
  private readonly onDigit: (e: DtmfDigitEvent) => void;

  constructor(onDigit: (e: DtmfDigitEvent) => void) {
    this.onDigit = onDigit;
  }

  /** feed one RTP payload of the telephone-event type; returns false for a malformed payload */
  receive(timestamp: number, payload: Uint8Array): boolean {
    const e = decodeTelephoneEvent(payload);
    if (e === null) return false;
    const key = `${timestamp >>> 0}/${e.event}`;
    if (key === this.lastKey) return true;
    this.lastKey = key;
    const digit = dtmfDigit(e.event);
    if (digit !== null) this.onDigit({ digit, event: e.event, volume: e.volume });
    return true;
  }
}
