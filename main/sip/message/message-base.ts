import { MAX_UINT32, parseBoundedInt } from './chars.ts';
import { SipParseError } from './errors.ts';
import { HeaderList } from './header-list.ts';
import type { HeaderInput } from './header-list.ts';
import {
  parseAuthParams,
  parseCSeq,
  parseEvent,
  parseMediaType,
  parseRetryAfter,
  parseSipDate,
  parseSubscriptionState,
  parseTimestamp,
  parseTokenList,
  parseWarning,
} from './header-values.ts';
import type { EventHeader, RetryAfter, SubscriptionState, Timestamp, Warning } from './header-values.ts';
import { parseNameAddr, parseNameAddrList } from './name-addr.ts';
import { splitTopLevel } from './header-list.ts';
import type { AuthParams, CSeq, MediaType, NameAddr, Via } from './types.ts';
import { parseFirstVia, parseViaList } from './via.ts';
import { PARAM_RULE_EXPIRES } from './params.ts';

/** Re-throws a value-parser error with the header it came from. */
export function inHeader<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`${name}: ${e.reason}`, e.offset, e.partial, e.status);
    throw e;
  }
}

/* Typed parsers per canonical header key; parse.ts primes the same keys while validating. */
export const typed = {
  via: (h: HeaderList): Via[] => {
    const out: Via[] = [];
    for (const v of h.fieldsOf('via')) inHeader('Via', () => parseViaList(v, out));
    return out;
  },
  topVia: (h: HeaderList): Via | null => {
    const v = h.getKey('via');
    return v === null ? null : inHeader('Via', () => parseFirstVia(v));
  },
  from: (h: HeaderList): NameAddr | null => typed.nameAddr(h, 'from', 'From'),
  to: (h: HeaderList): NameAddr | null => typed.nameAddr(h, 'to', 'To'),
  callId: (h: HeaderList): string | null => h.getKey('call-id')?.trim() ?? null,
  cseq: (h: HeaderList): CSeq | null => {
    const raw = h.getKey('cseq');
    return raw === null ? null : inHeader('CSeq', () => parseCSeq(raw));
  },
  nameAddr: (h: HeaderList, key: string, label: string): NameAddr | null => {
    const v = h.getKey(key);
    return v === null ? null : inHeader(label, () => parseNameAddr(v));
  },
  nameAddrs: (h: HeaderList, key: string, label: string): NameAddr[] => {
    const out: NameAddr[] = [];
    for (const v of h.fieldsOf(key)) inHeader(label, () => parseNameAddrList(v, out));
    return out;
  },
  contact: (h: HeaderList): NameAddr[] | '*' => {
    const fields = h.fieldsOf('contact');
    if (fields.length === 1 && fields[0]?.trim() === '*') return '*';
    const out: NameAddr[] = [];
    // §20.10: each expires param is delta-seconds (RFC 4475 §3.1.2.4), same rule as at parse time
    for (const v of fields) inHeader('Contact', () => parseNameAddrList(v, out, PARAM_RULE_EXPIRES));
    return out;
  },
  number: (h: HeaderList, key: string, label: string, max: number): number | null => {
    const v = h.getKey(key);
    if (v === null) return null;
    const n = parseBoundedInt(v.trim(), max);
    if (n < 0) throw new SipParseError(`${label}: not an integer in 0..${max}`, 0);
    return n;
  },
};

export interface MessageInit {
  readonly headers?: HeaderInput | HeaderList;
  /** bytes; a string is encoded as UTF-8 */
  readonly body?: Buffer | string;
}

/** Typed, lazily parsed and cached views of the headers the stack uses (RFC 3261 §20). */
export abstract class SipMessageBase {
  headers: HeaderList;
  body: Buffer;

  protected constructor(init: MessageInit) {
    const h = init.headers;
    this.headers = h instanceof HeaderList ? h : new HeaderList(h ?? []);
    const b = init.body;
    this.body = b === undefined ? EMPTY : typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  }

  private need<T>(value: T | null, name: string): T {
    if (value === null) throw new SipParseError(`missing ${name} header`, 0);
    return value;
  }

  /** Via values, top first (§20.42). */
  get via(): readonly Via[] {
    return this.headers.cached('via', typed.via);
  }
  /** the first value of the first Via field, parsed alone (a response is matched by it, §17.1.3) */
  get topVia(): Via | null {
    const hot = this.headers.hot();
    let v = hot.topVia;
    if (v === undefined) v = hot.topVia = typed.topVia(this.headers);
    return v;
  }
  get from(): NameAddr {
    const hot = this.headers.hot();
    let v = hot.from;
    if (v === undefined) v = hot.from = typed.from(this.headers);
    return this.need(v, 'From');
  }
  get to(): NameAddr {
    const hot = this.headers.hot();
    let v = hot.to;
    if (v === undefined) v = hot.to = typed.to(this.headers);
    return this.need(v, 'To');
  }
  get fromTag(): string | null {
    return this.from.params.get('tag') ?? null;
  }
  get toTag(): string | null {
    return this.to.params.get('tag') ?? null;
  }
  get callId(): string {
    const hot = this.headers.hot();
    let v = hot.callId;
    if (v === undefined) v = hot.callId = typed.callId(this.headers);
    return this.need(v, 'Call-ID');
  }
  get cseq(): CSeq {
    const hot = this.headers.hot();
    let v = hot.cseq;
    if (v === undefined) v = hot.cseq = typed.cseq(this.headers);
    return this.need(v, 'CSeq');
  }
  /** null when absent, which differs from 0 (RFC 4475 §3.3.12) */
  get maxForwards(): number | null {
    const hot = this.headers.hot();
    let v = hot.maxForwards;
    if (v === undefined) v = hot.maxForwards = typed.number(this.headers, 'max-forwards', 'Max-Forwards', 255);
    return v;
  }
  /** [] when absent; '*' only for a lone `Contact: *` (§10.2.2) */
  get contact(): readonly NameAddr[] | '*' {
    const hot = this.headers.hot();
    let v = hot.contact;
    if (v === undefined) v = hot.contact = typed.contact(this.headers);
    return v;
  }
  get route(): readonly NameAddr[] {
    return this.headers.cached('route', () => typed.nameAddrs(this.headers, 'route', 'Route'));
  }
  get recordRoute(): readonly NameAddr[] {
    return this.headers.cached('record-route', () => typed.nameAddrs(this.headers, 'record-route', 'Record-Route'));
  }
  get contentType(): MediaType | null {
    const hot = this.headers.hot();
    let v = hot.contentType;
    if (v === undefined) {
      const raw = this.headers.getKey('content-type');
      v = hot.contentType = raw === null ? null : inHeader('Content-Type', () => parseMediaType(raw));
    }
    return v;
  }
  /** the Content-Length header as written (the serializer always writes the body length) */
  get contentLength(): number | null {
    const hot = this.headers.hot();
    let v = hot.contentLength;
    if (v === undefined) v = hot.contentLength = typed.number(this.headers, 'content-length', 'Content-Length', MAX_UINT32);
    return v;
  }
  get expires(): number | null {
    return this.headers.cached('expires', () => typed.number(this.headers, 'expires', 'Expires', MAX_UINT32));
  }
  get minExpires(): number | null {
    return this.headers.cached('min-expires', () => typed.number(this.headers, 'min-expires', 'Min-Expires', MAX_UINT32));
  }
  /** Date as epoch ms (§20.17: GMT only) */
  get date(): number | null {
    // absent: null without a cache entry (issue 18: most MESSAGEs carry no Date)
    if (this.headers.getKey('date') === null) return null;
    return this.headers.cached('date', () => {
      const v = this.headers.getKey('date');
      return v === null ? null : inHeader('Date', () => parseSipDate(v));
    });
  }
  /** null when absent; [] for an empty Accept (nothing acceptable, §20.1) */
  get accept(): readonly MediaType[] | null {
    return this.headers.cached('accept', () => {
      const fields = this.headers.fieldsOf('accept');
      if (fields.length === 0) return null;
      const out: MediaType[] = [];
      for (const f of fields) for (const part of splitTopLevel(f)) out.push(inHeader('Accept', () => parseMediaType(part)));
      return out;
    });
  }
  get allow(): readonly string[] | null {
    return this.tokens('allow', 'Allow');
  }
  get supported(): readonly string[] | null {
    return this.tokens('supported', 'Supported');
  }
  get require(): readonly string[] | null {
    return this.tokens('require', 'Require');
  }
  get proxyRequire(): readonly string[] | null {
    return this.tokens('proxy-require', 'Proxy-Require');
  }
  get unsupported(): readonly string[] | null {
    return this.tokens('unsupported', 'Unsupported');
  }
  get wwwAuthenticate(): readonly AuthParams[] {
    return this.auth('www-authenticate', 'WWW-Authenticate');
  }
  get proxyAuthenticate(): readonly AuthParams[] {
    return this.auth('proxy-authenticate', 'Proxy-Authenticate');
  }
  get authorization(): readonly AuthParams[] {
    return this.auth('authorization', 'Authorization');
  }
  get proxyAuthorization(): readonly AuthParams[] {
    return this.auth('proxy-authorization', 'Proxy-Authorization');
  }
  /** Authentication-Info params (RFC 3261 §20.6, RFC 7615), names lower-cased, values unquoted */
  get authenticationInfo(): ReadonlyMap<string, string> | null {
    return this.headers.cached('authentication-info', () => {
      const v = this.headers.getKey('authentication-info');
      return v === null ? null : inHeader('Authentication-Info', () => parseAuthParams(`Info ${v}`).params);
    });
  }
  get event(): EventHeader | null {
    return this.headers.cached('event', () => {
      const v = this.headers.getKey('event');
      return v === null ? null : inHeader('Event', () => parseEvent(v));
    });
  }
  get subscriptionState(): SubscriptionState | null {
    return this.headers.cached('subscription-state', () => {
      const v = this.headers.getKey('subscription-state');
      return v === null ? null : inHeader('Subscription-State', () => parseSubscriptionState(v));
    });
  }
  get retryAfter(): RetryAfter | null {
    return this.headers.cached('retry-after', () => {
      const v = this.headers.getKey('retry-after');
      return v === null ? null : inHeader('Retry-After', () => parseRetryAfter(v));
    });
  }
  get timestamp(): Timestamp | null {
    return this.headers.cached('timestamp', () => {
      const v = this.headers.getKey('timestamp');
      return v === null ? null : inHeader('Timestamp', () => parseTimestamp(v));
    });
  }
  get warning(): readonly Warning[] {
    return this.headers.cached('warning', () => inHeader('Warning', () => parseWarning(this.headers.fieldsOf('warning'))));
  }
  get userAgent(): string | null {
    return this.headers.getKey('user-agent');
  }
  get server(): string | null {
    return this.headers.getKey('server');
  }
  get subject(): string | null {
    return this.headers.getKey('subject');
  }

  private tokens(key: string, label: string): readonly string[] | null {
    // absent: null without a cache entry (issue 18: most requests carry no Require)
    if (this.headers.getKey(key) === null) return null;
    return this.headers.cached(key, () => {
      const f = this.headers.fieldsOf(key);
      return f.length === 0 ? null : inHeader(label, () => parseTokenList(f));
    });
  }

  private auth(key: string, label: string): readonly AuthParams[] {
    return this.headers.cached(key, () => this.headers.fieldsOf(key).map((v) => inHeader(label, () => parseAuthParams(v))));
  }
}

const EMPTY = Buffer.alloc(0);
