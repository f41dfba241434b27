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
  private buf: Buffer = EMPTY;
  /** where to resume the search for the end of the headers */
  private scanFrom = 0;
  private failed: SipParseError | null = null;

  constructor(opts: StreamFramerOptions) {
    this.max = opts.maxMessageSize;
  }

  /** octets held waiting for the rest of a message */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Buffer): FramedItem[] {
    if (this.failed !== null) throw this.failed;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FramedItem[] = [];
    try {
      this.drain(out);
    } catch (e) {
      if (e instanceof SipParseError) {
        this.failed = e;
        this.buf = EMPTY;
      }
      throw e;
    }
    return out;
  }

  private drain(out: FramedItem[]): void {
    let buf = this.buf;
    for (;;) {
      if (buf.length === 0) break;
      if (buf[0] === 13) {
        if (buf.length < 2) break;
        if (buf[1] !== 10) throw new SipParseError('bare CR between messages', 0);
        if (buf.length >= 4 && buf[2] === 13 && buf[3] === 10) {
          out.push({ kind: 'ping' });
          buf = buf.subarray(4);
        } else if (buf.length === 3 && buf[2] === 13) {
          break; // maybe a ping split after its third octet
        } else {
          out.push({ kind: 'pong' });
          buf = buf.subarray(2);
        }
        this.scanFrom = 0;
        continue;
      }
      const headEnd = buf.indexOf(CRLFCRLF, this.scanFrom);
      if (headEnd < 0) {
        if (buf.length > this.max) throw new SipParseError(`message exceeds ${this.max} octets`, 0);
        this.scanFrom = Math.max(0, buf.length - 3);
        break;
      }
      const length = contentLength(buf, headEnd);
      const total = headEnd + 4 + length;
      if (total > this.max) throw new SipParseError(`message of ${total} octets exceeds ${this.max}`, 0);
      if (buf.length < total) {
        this.scanFrom = headEnd;
        break;
      }
      // copy out so a kept message does not pin the rest of the connection's buffer
      out.push({ kind: 'message', data: Buffer.from(buf.subarray(0, total)) });
      buf = buf.subarray(total);
      this.scanFrom = 0;
    }
    this.buf = buf.length === 0 ? EMPTY : buf;
  }
}

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
