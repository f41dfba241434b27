/**
 * The wire trace for the diagnostics view: every SIP message an account's transport sent or received,
 * as TraceEntryDto in a bounded ring buffer (oldest dropped first), credentials redacted: the digest
 * `response=` of Authorization / Proxy-Authorization never leaves this module.
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { WireTraceEvent } from '../sip/transport/index.ts';

export const DEFAULT_TRACE_CAPACITY = 2000;

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
  /** a ring: once full, `#next` is the oldest entry and the next slot to overwrite (O(1) per record) */
  readonly #ring: TraceEntryDto[] = [];
  #next = 0;
  #seq = 0;

  constructor(capacity = DEFAULT_TRACE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`WireTraceBuffer: bad capacity ${String(capacity)}`);
    this.#capacity = capacity;
  }

  /** Records one wire event (keep-alives are left out); returns the entry, or null when skipped. */
  record(accountId: AccountId | null, event: WireTraceEvent): TraceEntryDto | null {
    if (event.kind !== 'message') return null;
    const text = redactCredentials(event.raw.toString('utf8'));
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
    if (this.#ring.length < this.#capacity) this.#ring.push(entry);
    else {
      this.#ring[this.#next] = entry;
      this.#next = (this.#next + 1) % this.#capacity;
    }
  }

  /** newest last; filtered by account and Call-ID; at most `limit` (the newest ones) */
  list(filter: { readonly accountId: AccountId | null; readonly callId: string | null; readonly limit: number }): TraceEntryDto[] {
    const ordered = this.#next === 0 ? this.#ring : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    const matching = ordered.filter(
      (e) => (filter.accountId === null || e.accountId === filter.accountId) && (filter.callId === null || e.callId === filter.callId),
    );
    return matching.slice(Math.max(0, matching.length - filter.limit));
  }

  get size(): number {
    return this.#ring.length;
  }
}
