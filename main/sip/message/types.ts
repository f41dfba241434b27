/**
 * Public model of the SIP message layer (RFC 3261 §7, §19, §20, §25).
 *
 * Every other layer (transport, transaction, dialog, ua) imports from
 * `main/sip/message/index.ts` only, and codes against these shapes.
 */

/** Parameters of a URI, Via or name-addr: insertion ordered, names lower-cased, `null` = no value. */
export type Params = Map<string, string | null>;

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** user part, still %-escaped as written */
  readonly user: string | null;
  readonly password: string | null;
  /** host as written; IPv6 references keep their brackets: `[2001:db8::1]` */
  readonly host: string;
  readonly port: number | null;
  readonly params: Params;
  /** `?name=value&...` headers, still escaped */
  readonly headers: Map<string, string>;
}

/** tel: (RFC 3966) and im:/pres: (RFC 3428 §5, RFC 3860) and any other absolute URI: kept opaque. */
export interface OtherUri {
  readonly scheme: string;
  /** everything after `scheme:` as written */
  readonly opaque: string;
}

export type Uri = SipUri | OtherUri;

/** name-addr / addr-spec with header params (From, To, Contact, Route, Record-Route, Reply-To...). */
export interface NameAddr {
  /** display name with quotes removed and quoted-pairs resolved; null when absent */
  readonly displayName: string | null;
  readonly uri: Uri;
  /** header parameters after the URI (tag, expires, q, lr when outside <> ...) */
  readonly params: Params;
}

/** One Via value (RFC 3261 §20.42, §18.2.1, RFC 3581). */
export interface Via {
  /** "SIP/2.0" */
  readonly protocol: string;
  /** upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS... */
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly params: Params;
  /** shortcuts into params */
  readonly branch: string | null;
  readonly received: string | null;
  /** rport: absent = undefined, present without value = null, with value = number */
  readonly rport: number | null | undefined;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export interface MediaType {
  /** lower-cased */
  readonly type: string;
  readonly subtype: string;
  readonly params: Params;
}

/** A digest challenge or credentials (WWW-/Proxy-Authenticate, Authorization/Proxy-Authorization). */
export interface AuthParams {
  /** "Digest" as written */
  readonly scheme: string;
  /** parameter names lower-cased; values unquoted */
  readonly params: Map<string, string>;
}

/** One raw header field, as received (name as written, value unfolded, trimmed). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** Start of a message, readable even when the rest is not: enough to answer 400 (§8.2, §16.3). */
export interface PartialMessage {
  readonly kind: 'request' | 'response';
  readonly method?: string;
  readonly status?: number;
  readonly headers: readonly HeaderField[];
}
