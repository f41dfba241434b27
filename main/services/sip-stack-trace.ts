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

export class WireTraceBuffer {
  readonly #capacity: number;
  readonly #maxBytes: number;
  /** oldest first from `#head`; dropped entries are compacted away now and then (O(1) amortized) */
  #items: TraceEntryDto[] = [];
  #head = 0;
  #bytes = 0;
  #seq = 0;

  constructor(capacity = DEFAULT_TRACE_CAPACITY, maxBytes = DEFAULT_TRACE_MAX_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`WireTraceBuffer: bad capacity ${String(capacity)}`);
    this.#capacity = capacity;
    this.#maxBytes = maxBytes;
  }

  /** Records one wire event (keep-alives are left out); returns the entry, or null when skipped. */
  record(accountId: AccountId | null, event: WireTraceEvent): TraceEntryDto | null {
    if (event.kind !== 'message') return null;
    // only the part we keep is decoded: a 60 KB body costs 8 KB here
    const raw = event.raw.length > TRACE_ENTRY_MAX_CHARS * 4 ? event.raw.subarray(0, TRACE_ENTRY_MAX_CHARS * 4) : event.raw;
    const full = redactCredentials(raw.toString('utf8'));
    const cut = event.raw.length - raw.length;
    const text = cut > 0 ? `${full.slice(0, TRACE_ENTRY_MAX_CHARS)}\n… [${String(event.raw.length - TRACE_ENTRY_MAX_CHARS)} more bytes not kept in the trace]` : truncateTraceText(full);
    const entry: TraceEntryDto = {
      seq: ++this.#seq,
      accountId,
      at: event.at,
      direction: event.direction === 'out' ? 'sent' : 'received',
      transport: event.remote.protocol.toUpperCase(),
      remote: `${event.remote.address.includes(':') ? `[${event.remote.address}]` : event.remote.address}:${event.remote.port}`,
      callId: callIdOf(text),
      summary: summaryOf(text),
      text,
    };
    this.#push(entry);
    return entry;
  }

  /** A line of our own in the trace, e.g. a challenge we refused to answer (issue 10); plain text. */
  note(accountId: AccountId | null, at: number, callId: string | null, summary: string): TraceEntryDto {
    const entry: TraceEntryDto = { seq: ++this.#seq, accountId, at, direction: 'note', transport: '', remote: '', callId, summary, text: summary };
    this.#push(entry);
    return entry;
  }

  #push(entry: TraceEntryDto): void {
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
    const matching = this.#items
      .slice(this.#head)
      .filter((e) => (filter.accountId === null || e.accountId === filter.accountId) && (filter.callId === null || e.callId === filter.callId));
    return matching.slice(Math.max(0, matching.length - filter.limit));
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** the characters held (text and summary, ~2 bytes each in V8 for non-Latin-1, 1 for Latin-1) */
  get bytes(): number {
    return this.#bytes;
  }
}

function sizeOf(e: TraceEntryDto): number {
  return e.text.length + e.summary.length + (e.callId?.length ?? 0) + 64;
}
