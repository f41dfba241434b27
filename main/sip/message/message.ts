import type { HeaderList } from './header-list.ts';
import type { HeaderInput } from './header-list.ts';
import { SipMessageBase } from './message-base.ts';
import type { Uri } from './types.ts';
import { formatUri, parseUri } from './uri.ts';

export interface SipRequestInit {
  readonly method: string;
  /** a parsed URI or its text (parsed with parseUri, throws SipParseError) */
  readonly uri: Uri | string;
  readonly headers?: HeaderInput | HeaderList;
  readonly body?: Buffer | string;
}

export interface SipResponseInit {
  readonly status: number;
  readonly reason: string;
  readonly headers?: HeaderInput | HeaderList;
  readonly body?: Buffer | string;
}

/** Request = Request-Line *( message-header ) CRLF [ message-body ] (RFC 3261 §7.1). */
export class SipRequest extends SipMessageBase {
  readonly kind = 'request' as const;
  /** case-sensitive (§7.1) */
  method: string;
  /** null: not parsed yet (the parser checked uriString already) */
  private uriValue: Uri | null;
  private uriString: string | null;

  constructor(init: SipRequestInit) {
    super(init);
    this.method = init.method;
    if (typeof init.uri === 'string') {
      this.uriValue = parseUri(init.uri);
      this.uriString = init.uri;
    } else {
      this.uriValue = init.uri;
      this.uriString = null;
    }
  }

  /** @internal parser fast path: the URI text was checked (RFC 3261 §25.1) and is parsed on first access */
  static fromParsed(method: string, uri: Uri | null, uriText: string, headers: HeaderList, body: Buffer): SipRequest {
    const r = new SipRequest({ method, uri: PLACEHOLDER, headers, body });
    r.uriValue = uri;
    r.uriString = uriText;
    return r;
  }

  get uri(): Uri {
    if (this.uriValue === null) this.uriValue = parseUri(this.uriString ?? '');
    return this.uriValue;
  }
  set uri(u: Uri) {
    this.uriValue = u;
    this.uriString = null;
  }
  /** the Request-URI as written (or formatted, when set in code) */
  get uriText(): string {
    if (this.uriString === null) this.uriString = formatUri(this.uri);
    return this.uriString;
  }

  clone(): SipRequest {
    return SipRequest.fromParsed(this.method, this.uriValue, this.uriText, this.headers.clone(), this.body);
  }
}

/** Response = Status-Line *( message-header ) CRLF [ message-body ] (RFC 3261 §7.2). */
export class SipResponse extends SipMessageBase {
  readonly kind = 'response' as const;
  status: number;
  reason: string;

  constructor(init: SipResponseInit) {
    super(init);
    this.status = init.status;
    this.reason = init.reason;
  }

  clone(): SipResponse {
    return new SipResponse({ status: this.status, reason: this.reason, headers: this.headers.clone(), body: this.body });
  }
}

export type SipMessage = SipRequest | SipResponse;

const PLACEHOLDER: Uri = { scheme: 'sip', opaque: '' };
