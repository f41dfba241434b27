/**
 * The wire trace for the diagnostics view: every SIP message an account's transport sent or received,
 * as TraceEntryDto in a bounded ring buffer (oldest dropped first), credentials redacted: the digest
 * `response=` of Authorization / Proxy-Authorization never leaves this module.
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { WireTraceEvent } from '../sip/transport/index.ts';

export const DEFAULT_TRACE_CAPACITY = 2000;
/** issue 10: the whole trace is bounded in bytes too (a flood of 60 KB OPTIONS must not hold 115 MB) */
export const DEFAULT_TRACE_MAX_BYTES = 8 * 1024 * 1024;
/** one entry's text beyond this is cut (the start line and headers come first, so they stay) */
export const TRACE_ENTRY_MAX_CHARS = 8 * 1024;

/** a long message keeps its first `max` characters and says how much was cut */
export function truncateTraceText(text: string, max = TRACE_ENTRY_MAX_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… [${String(text.length - max)} more characters not kept in the trace]`;
}

/** Authorization / Proxy-Authorization: the digest response (and any password-equivalent) is replaced */
export function redactCredentials(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization[ \t]*:.*)$/gim, (line) =>
    line.replace(/(\bresponse[ \t]*=[ \t]*)("[^"]*"|[^,\s]+)/gi, '$1"[redacted]"'),
  );
}

function startLine(text: string): string {
  const end = text.indexOf('\r\n');
  return end === -1 ? text : text.slice(0, end);
}

/** "MESSAGE" for a request, "200 OK" for a response */
export function summaryOf(text: string): string {
  const line = startLine(text);
  if (line.startsWith('SIP/2.0 ')) return line.slice('SIP/2.0 '.length);
  return line.split(' ')[0] ?? line;
}

function callIdOf(text: string): string | null {
  const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')) || text.length);
  const m = /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i.exec(head);
  return m?.[1]?.trim() ?? null;
}

/**
 * A recorded wire message before anyone reads it (issue 18): the octets we keep (a copy, at most
 * TRACE_ENTRY_MAX_CHARS * 4) and where they went, off the JS heap. Decoding, redaction, the Call-ID and
 * the summary are done when the entry is read (the diagnostics view lists or watches the trace), not for
 * every SIP message sent or received: the same TraceEntryDto either way.
 */
interface KeptMessage {
  readonly seq: number;
  readonly accountId: AccountId | null;
  readonly at: number;
  readonly direction: 'sent' | 'received';
  readonly remote: WireTraceEvent['remote'];
  readonly kept: Buffer;
  readonly length: number;
}

type Kept = KeptMessage | TraceEntryDto;

function isEntry(k: Kept): k is TraceEntryDto {
  return 'text' in k;
}

/** the entry the diagnostics view shows for a kept message */
function entryOf(k: KeptMessage): TraceEntryDto {
  const full = redactCredentials(k.kept.toString('utf8'));
  const cut = k.length - k.kept.length;
  const text = cut > 0 ? `${full.slice(0, TRACE_ENTRY_MAX_CHARS)}\n… [${String(k.length - TRACE_ENTRY_MAX_CHARS)} more bytes not kept in the trace]` : truncateTraceText(full);
  return {
    seq: k.seq,
    accountId: k.accountId,
    at: k.at,
    direction: k.direction,
    transport: k.remote.protocol.toUpperCase(),
    remote: `${k.remote.address.includes(':') ? `[${k.remote.address}]` : k.remote.address}:${k.remote.port}`,
    callId: callIdOf(text),
    summary: summaryOf(text),
    text,
  };
}

export class WireTraceBuffer {
  readonly #capacity: number;
  readonly #maxBytes: number;
  /** oldest first from `#head`; dropped entries are compacted away now and then (O(1) amortized) */
  #items: Kept[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;

  constructor(capacity = DEFAULT_TRACE_CAPACITY, maxBytes = DEFAULT_TRACE_MAX_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`WireTraceBuffer: bad capacity ${String(capacity)}`);
    this.#capacity = capacity;
    this.#maxBytes = maxBytes;
  }

  /**
   * Keeps one wire event (keep-alives are left out) without decoding it; returns its seq, or null when
   * skipped. The octets are copied (a stream's buffer may be reused after the event), unless the event
   * says they are stable (a datagram, bytes serialized for one send: issue 18, no copy per message).
   */
  add(accountId: AccountId | null, event: WireTraceEvent): number | null {
    if (event.kind !== 'message') return null;
    // only the part we keep is copied (and decoded when read): a 60 KB body costs 32 KB at most here
    const whole = event.raw.length <= TRACE_ENTRY_MAX_CHARS * 4;
    const raw = whole ? event.raw : event.raw.subarray(0, TRACE_ENTRY_MAX_CHARS * 4);
    const kept: KeptMessage = {
      seq: ++this.#seq,
      accountId,
      at: event.at,
      direction: event.direction === 'out' ? 'sent' : 'received',
      remote: event.remote,
      kept: whole && event.stable === true ? raw : Buffer.from(raw),
      length: event.raw.length,
    };
    this.#push(kept);
    return kept.seq;
  }

  /** Records one wire event (keep-alives are left out); returns the entry, or null when skipped. */
  record(accountId: AccountId | null, event: WireTraceEvent): TraceEntryDto | null {
    if (this.add(accountId, event) === null) return null;
    const last = this.#items[this.#items.length - 1] as Kept;
    return isEntry(last) ? last : entryOf(last);
  }

  /** A line of our own in the trace, e.g. a challenge we refused to answer (issue 10); plain text. */
  note(accountId: AccountId | null, at: number, callId: string | null, summary: string): TraceEntryDto {
    const entry: TraceEntryDto = { seq: ++this.#seq, accountId, at, direction: 'note', transport: '', remote: '', callId, summary, text: summary };
    this.#push(entry);
    return entry;
  }

  #push(entry: Kept): void {
    this.#items.push(entry);
    this.#bytes += sizeOf(entry);
    while (this.size > this.#capacity || (this.#bytes > this.#maxBytes && this.size > 1)) {
      const oldest = this.#items[this.#head];
      if (oldest === undefined) break;
      this.#bytes -= sizeOf(oldest);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** newest last; filtered by account and Call-ID; at most `limit` (the newest ones) */
  list(filter: { readonly accountId: AccountId | null; readonly callId: string | null; readonly limit: number }): TraceEntryDto[] {
    const matching: TraceEntryDto[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const k = this.#items[i] as Kept;
      if (filter.accountId !== null && k.accountId !== filter.accountId) continue;
      const e = isEntry(k) ? k : entryOf(k);
      if (filter.callId === null || e.callId === filter.callId) matching.push(e);
    }
    return matching.slice(Math.max(0, matching.length - filter.limit));
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** the characters held (text and summary of notes, ~1 byte per kept octet of a message) */
  get bytes(): number {
    return this.#bytes;
  }
}

function sizeOf(e: Kept): number {
  if (!isEntry(e)) return e.kept.length + 64;
  return e.text.length + e.summary.length + (e.callId?.length ?? 0) + 64;
}
