/**
 * Dialog state, RFC 3261 §12: Call-ID, tags, local/remote CSeq, route set, remote target, and whether
 * it is early or confirmed. A dialog only knows how to build and check requests; the INVITE session
 * (invite-session.ts) and in-dialog MESSAGE (in-dialog-message.ts) use it.
 */
import { formatNameAddr } from '../message/index.ts';
import type { HeaderInput, NameAddr, SipRequest, SipResponse, Uri } from '../message/index.ts';
import { buildRequest } from '../ua/uac-request.ts';
import { dialogIdKey, type DialogId } from './dialog-id.ts';

export type DialogState = 'early' | 'confirmed' | 'terminated';
export type DialogRole = 'uac' | 'uas';

export interface DialogRequestOptions {
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly extraHeaders?: HeaderInput;
}

export type RemoteCSeqCheck = { readonly ok: true } | { readonly ok: false; readonly status: 500; readonly reason: string };

interface DialogInit {
  readonly role: DialogRole;
  readonly id: DialogId;
  readonly state: 'early' | 'confirmed';
  readonly localSeq: number | null;
  readonly remoteSeq: number | null;
  readonly local: Party;
  readonly remote: Party;
  readonly remoteTarget: Uri;
  readonly routeSet: readonly NameAddr[];
  readonly secure: boolean;
  readonly localContact: string;
}

/** Contact of a request or response, or null when absent/unreadable/`*`. */
function contactUri(message: SipRequest | SipResponse): Uri | null {
  const c = message.contact;
  return c === '*' ? null : (c[0]?.uri ?? null);
}

/** §12.1.1 / §12.1.2: the dialog keeps the local and remote URI (and display name), never the tags of From/To */
type Party = Pick<NameAddr, 'uri' | 'displayName'>;

function party(n: NameAddr): Party {
  return { uri: n.uri, displayName: n.displayName };
}

export class Dialog {
  readonly role: DialogRole;
  readonly id: DialogId;
  readonly key: string;
  /** §12.1.1: "secure" flag: the request was sent over TLS with a sips Request-URI */
  readonly secure: boolean;
  /** our Contact, sent in target refresh requests (§12.2.1.1) */
  readonly localContact: string;
  readonly #local: Party;
  readonly #remote: Party;
  #state: DialogState;
  #localSeq: number | null;
  #remoteSeq: number | null;
  #remoteTarget: Uri;
  #routeSet: readonly NameAddr[];

  private constructor(init: DialogInit) {
    this.role = init.role;
    this.id = init.id;
    this.key = dialogIdKey(init.id);
    this.secure = init.secure;
    this.localContact = init.localContact;
    this.#local = init.local;
    this.#remote = init.remote;
    this.#state = init.state;
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
    this.#remoteTarget = init.remoteTarget;
    this.#routeSet = init.routeSet;
  }

  /**
   * §12.1.2 (UAC): from a 1xx with a To tag (early) or a 2xx (confirmed) to our INVITE. Route set = the
   * Record-Route of the response in reverse order; remote target = its Contact; local CSeq = the
   * request's; remote CSeq empty. Null when the response has no To tag or no Contact.
   */
  static asUac(request: SipRequest, response: SipResponse, localContact: string): Dialog | null {
    const remoteTag = response.toTag;
    const localTag = request.fromTag;
    const target = contactUri(response);
    if (remoteTag === null || localTag === null || target === null) return null;
    return new Dialog({
      role: 'uac',
      id: { callId: request.callId, localTag, remoteTag },
      state: response.status >= 200 ? 'confirmed' : 'early',
      localSeq: response.cseq.seq,
      remoteSeq: null,
      local: party(request.from),
      remote: party(request.to),
      remoteTarget: target,
      routeSet: [...response.recordRoute].reverse(),
      secure: request.uri.scheme === 'sips',
      localContact,
    });
  }

  /**
   * §12.1.1 (UAS): from the request and the To tag we put in our 1xx/2xx. Route set = the request's
   * Record-Route in order; remote target = its Contact; remote CSeq = the request's; local CSeq empty.
   */
  static asUas(request: SipRequest, localTag: string, localContact: string, state: 'early' | 'confirmed'): Dialog | null {
    const remoteTag = request.fromTag;
    const target = contactUri(request);
    if (remoteTag === null || target === null) return null;
    return new Dialog({
      role: 'uas',
      id: { callId: request.callId, localTag, remoteTag },
      state,
      localSeq: null,
      remoteSeq: request.cseq.seq,
      local: party(request.to),
      remote: party(request.from),
      remoteTarget: target,
      routeSet: [...request.recordRoute],
      secure: request.uri.scheme === 'sips',
      localContact,
    });
  }

  get state(): DialogState {
    return this.#state;
  }
  get localSeq(): number | null {
    return this.#localSeq;
  }
  get remoteSeq(): number | null {
    return this.#remoteSeq;
  }
  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }
  get routeSet(): readonly NameAddr[] {
    return this.#routeSet;
  }
  /** the remote URI (To of our requests) without tag */
  get remoteUri(): Uri {
    return this.#remote.uri;
  }
  get localUri(): Uri {
    return this.#local.uri;
  }

  /**
   * §12.1.2 / §13.2.2.4: a 2xx for the INVITE moves an early dialog to confirmed. The route set is
   * recomputed from the 2xx (its Record-Route, reversed) and the remote target refreshed (§12.2.1.2).
   */
  confirm(response?: SipResponse): void {
    if (this.#state === 'terminated') return;
    this.#state = 'confirmed';
    if (response !== undefined && this.role === 'uac') {
      this.#routeSet = [...response.recordRoute].reverse();
      this.refreshTarget(response);
    }
  }

  /** §12.2.1.2 / §12.2.2: a target refresh request or its 2xx replaces the remote target with its Contact. */
  refreshTarget(message: SipRequest | SipResponse): void {
    const target = contactUri(message);
    if (target !== null) this.#remoteTarget = target;
  }

  terminate(): void {
    this.#state = 'terminated';
  }

  /**
   * §12.2.2: "If the remote sequence number is empty, it MUST be set to the value of the sequence number
   * in the CSeq header field value in the request. If the remote sequence number was not empty, but the
   * sequence number of the request is lower than the remote sequence number, the request is out of order
   * and MUST be rejected with a 500 (Server Internal Error) response." Otherwise it is taken.
   */
  checkRemoteCSeq(request: SipRequest): RemoteCSeqCheck {
    const seq = request.cseq.seq;
    if (this.#remoteSeq !== null && seq < this.#remoteSeq) {
      return { ok: false, status: 500, reason: `CSeq ${seq} is lower than ${this.#remoteSeq}: out of order` };
    }
    this.#remoteSeq = seq;
    return { ok: true };
  }

  /**
   * §12.2.1.1: a request within the dialog: To = remote URI + remote tag, From = local URI + local tag,
   * Call-ID of the dialog, CSeq = local sequence number + 1 (ACK and CANCEL are not built here), Request-URI
   * and Route from the remote target and route set (loose or strict routing). Target refresh requests
   * (INVITE, UPDATE) carry our Contact.
   */
  createRequest(method: string, options: DialogRequestOptions = {}): SipRequest {
    if (method === 'ACK' || method === 'CANCEL') throw new Error(`Dialog.createRequest: ${method} takes the INVITE's CSeq`);
    if (this.#state === 'terminated') throw new Error('Dialog.createRequest: the dialog is terminated');
    // §8.1.1.5 / §12.2.1.1: the local sequence number is incremented by one; an empty one starts at 1
    this.#localSeq = (this.#localSeq ?? 0) + 1;
    return this.#build(method, this.#localSeq, options, method === 'INVITE' || method === 'UPDATE');
  }

  /** §13.2.2.4: the ACK for a 2xx: CSeq number of the INVITE, method ACK, built like an in-dialog request. */
  createAck(inviteSeq: number, options: DialogRequestOptions = {}): SipRequest {
    return this.#build('ACK', inviteSeq, options, false);
  }

  #build(method: string, cseq: number, options: DialogRequestOptions, withContact: boolean): SipRequest {
    return buildRequest({
      method,
      requestUri: this.#remoteTarget,
      from: { uri: this.#local.uri, displayName: this.#local.displayName },
      to: { uri: this.#remote.uri, displayName: this.#remote.displayName, tag: this.id.remoteTag },
      localTag: this.id.localTag,
      callId: this.id.callId,
      cseq,
      routeSet: this.#routeSet,
      ...(withContact ? { contact: this.localContact } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      ...(options.extraHeaders !== undefined ? { extraHeaders: options.extraHeaders } : {}),
    });
  }

  /** For logs: the route set as written in Route headers. */
  describeRouteSet(): string[] {
    return this.#routeSet.map(formatNameAddr);
  }
}
