import { MAX_UINT32, parseBoundedInt } from './chars.ts';
import { SipParseError } from './errors.ts';

export type FramedItem =
  | { readonly kind: 'message'; readonly data: Buffer }
  /** CRLFCRLF keep-alive ping: answer with a CRLF pong (RFC 5626 §3.5.1) */
  | { readonly kind: 'ping' }
  /** a lone CRLF: a pong to our ping (RFC 5626 §3.5.1) */
  | { readonly kind: 'pong' };

export interface StreamFramerOptions {
  /** largest message (headers + body) accepted, in octets */
  readonly maxMessageSize: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * Cuts whole messages out of a stream transport's bytes by Content-Length (RFC 3261 §18.3:
 * mandatory on streams) and recognises RFC 5626 §3.5.1 keep-alives between messages.
 * Throws SipParseError when framing is impossible (no/invalid/duplicate Content-Length) or a
 * message exceeds maxMessageSize; the caller then closes the connection (RFC 4475 §3.1.2.7).
 */
export class StreamFramer {
  private readonly max: number;
  /**
   * Octets received and not yet framed are store[start, end). The store grows by doubling and is
   * compacted only when the live octets fill at most half of it, so every octet is copied O(1)
   * times on average whatever the chunking: framing is amortized O(n) in the octets received.
   */
  private store: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  /** where to resume the search for the end of the headers, relative to start */
  private scanFrom = 0;
  /** total octets of the message at start once its header section is complete, else -1 */
  private pendingTotal = -1;
  private failed: SipParseError | null = null;

  constructor(opts: StreamFramerOptions) {
    this.max = opts.maxMessageSize;
  }

  /** octets held waiting for the rest of a message */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): FramedItem[] {
    if (this.failed !== null) throw this.failed;
    this.append(chunk);
    const out: FramedItem[] = [];
    try {
      this.drain(out);
    } catch (e) {
      if (e instanceof SipParseError) {
        this.failed = e;
        this.store = EMPTY;
        this.start = this.end = 0;
      }
      throw e;
    }
    return out;
  }

  private append(chunk: Buffer): void {
    const live = this.end - this.start;
    const need = live + chunk.length;
    if (this.end + chunk.length > this.store.length) {
      if (need <= this.store.length >> 1) {
        this.store.copyWithin(0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(Math.max(MIN_STORE, 2 * need));
        this.store.copy(grown, 0, this.start, this.end);
        this.store = grown;
      }
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.store, this.end);
    this.end += chunk.length;
  }

  private drain(out: FramedItem[]): void {
    const store = this.store;
    let s = this.start;
    const e = this.end;
    for (;;) {
      const avail = e - s;
      if (avail === 0) break;
      if (this.pendingTotal < 0 && store[s] === 13) {
        if (avail < 2) break;
        if (store[s + 1] !== 10) throw new SipParseError('bare CR between messages', 0);
        if (avail >= 4 && store[s + 2] === 13 && store[s + 3] === 10) {
          out.push({ kind: 'ping' });
          s += 4;
        } else if (avail === 3 && store[s + 2] === 13) {
          break; // maybe a ping split after its third octet
        } else {
          out.push({ kind: 'pong' });
          s += 2;
        }
        this.scanFrom = 0;
        continue;
      }
      if (this.pendingTotal < 0) {
        const view = store.subarray(s, e);
        const headEnd = view.indexOf(CRLFCRLF, this.scanFrom);
        if (headEnd < 0) {
          if (avail > this.max) throw new SipParseError(`message exceeds ${this.max} octets`, 0);
          this.scanFrom = Math.max(0, avail - 3);
          break;
        }
        const total = headEnd + 4 + contentLength(view, headEnd);
        if (total > this.max) throw new SipParseError(`message of ${total} octets exceeds ${this.max}`, 0);
        this.pendingTotal = total;
      }
      const total = this.pendingTotal;
      if (avail < total) break;
      // copied out: the store is reused for the octets that follow
      out.push({ kind: 'message', data: Buffer.from(store.subarray(s, s + total)) });
      s += total;
      this.pendingTotal = -1;
      this.scanFrom = 0;
    }
    if (s === e) {
      this.start = this.end = 0;
      if (this.store.length > KEEP_STORE) this.store = EMPTY;
    } else this.start = s;
  }
}

/** smallest store allocated, and the largest kept while nothing is buffered */
const MIN_STORE = 4096;
const KEEP_STORE = 65_536 * 2;

/** Reads Content-Length (or `l`) from the header section buf[0, headEnd). */
function contentLength(buf: Buffer, headEnd: number): number {
  const head = buf.toString('latin1', 0, headEnd);
  let found: number | null = null;
  let pos = head.indexOf('\r\n') + 2;
  while (pos > 1 && pos < head.length) {
    let end = head.indexOf('\r\n', pos);
    if (end < 0) end = head.length;
    const c = head.charCodeAt(pos);
    if (c === 108 || c === 76 || c === 99 || c === 67) {
      const colon = head.indexOf(':', pos);
      if (colon > 0 && colon < end) {
        const name = head.slice(pos, colon).trim().toLowerCase();
        if (name === 'content-length' || name === 'l') {
          // a folded value continues on following lines
          let value = head.slice(colon + 1, end);
          while (end < head.length && (head.charCodeAt(end + 2) === 32 || head.charCodeAt(end + 2) === 9)) {
            const next = head.indexOf('\r\n', end + 2);
            const stop = next < 0 ? head.length : next;
            value += head.slice(end + 2, stop);
            end = stop;
          }
          const n = parseBoundedInt(value.trim(), MAX_UINT32);
          if (n < 0) throw new SipParseError('invalid Content-Length on a stream', pos);
          if (found !== null) throw new SipParseError('more than one Content-Length on a stream', pos);
          found = n;
        }
      }
    }
    pos = end + 2;
  }
  if (found === null) throw new SipParseError('no Content-Length on a stream transport', 0);
  return found;
}
