/**
 * The UA core (RFC 3261 §8): one per account. It owns a TransactionLayer over the given transport, sends
 * requests as a UAC (user-agent-uac.ts: RFC 3263 targets, §18.1.1 size rule, fresh Via branch + rport,
 * digest retry, synthesized 408/503) and dispatches incoming requests as a UAS (user-agent-uas.ts).
 */
import { formatNameAddr, isSipUri, parseUri } from '../message/index.ts';
import type { NameAddr, SipParseError, SipRequest, SipResponse, SipUri, Uri } from '../message/index.ts';
import { TransactionLayer } from '../transaction/index.ts';
import type { Clock } from '../transaction/index.ts';
import { isNumericHost, nodeDnsResolver, SipTransportLayer, startKeepAlive } from '../transport/index.ts';
import type { DnsResolver, Endpoint, InboundMessage, TransportLayer, TransportProtocol } from '../transport/index.ts';
import { Authenticator } from './credentials-authenticator.ts';
import type { AuthFailure } from './credentials-failure.ts';
import { RealmBinding } from './realm-binding.ts';
import { newCallId, newTag } from './uac-request.ts';
import { contactToken, isAddressedTo } from './contact-token.ts';
import { MergedRequestTable } from './uas-checks-merged.ts';
import { sendInvite } from './user-agent-invite.ts';
import type {
  AckHandler,
  InviteHandle,
  InviteOptions,
  RequestHandler,
  RequestHandlerOptions,
  SendRequestOptions,
  UserAgentOptions,
} from './user-agent-options.ts';
import { hopAllowsTcp, requireSipUri } from './user-agent-targets.ts';
import { sendWithAuth, targetsFor, withFreshVia, type Attempt, type UacCore } from './user-agent-uac.ts';
import { UasDispatcher } from './user-agent-uas.ts';

export class UserAgent implements UacCore {
  readonly transport: TransportLayer;
  readonly clock: Clock;
  readonly transactions: TransactionLayer;
  readonly authenticator: Authenticator;
  readonly aor: SipUri;
  readonly displayName: string | null;
  readonly outboundProxy: SipUri | null;
  readonly protocol: TransportProtocol;
  readonly resolver: DnsResolver;
  /** the registrar's URI (Request-URI of REGISTER, §10.2) */
  readonly registrarUri: SipUri;
  readonly userAgentHeader: string | null;
  /** the user part of our Contact: an unguessable token (issue 10), so only who saw our REGISTER can address us */
  readonly contactUser: string;
  readonly #uas: UasDispatcher;
  readonly #ackHandlers = new Set<AckHandler>();
  readonly #strayHandlers = new Set<(response: SipResponse, inbound: InboundMessage) => void>();
  readonly #cancelHandlers = new Set<(invite: SipRequest) => void>();
  readonly #authFailureHandlers = new Set<(request: SipRequest, failure: AuthFailure) => void>();
  readonly #unsubscribe: (() => void)[] = [];
  #dialogExists: ((request: SipRequest) => boolean) | undefined;
  #cseq = Math.floor(Math.random() * 10_000) + 1;
  /** the flow REGISTER went over: Contact and keep-alives use it (RFC 5626 idea, without the extension) */
  #flow: Endpoint | null = null;
  /** where the last request went: the Contact's fallback before any registration */
  #lastHop: Endpoint | null = null;
  #closed = false;
  readonly #closeListeners = new Set<() => void>();

  constructor(options: UserAgentOptions) {
    this.transport = options.transport;
    this.clock = options.clock;
    this.aor = requireSipUri(parseUri(options.aor));
    this.displayName = options.displayName ?? null;
    this.outboundProxy = options.outboundProxy === null || options.outboundProxy.trim() === '' ? null : requireSipUri(parseUri(options.outboundProxy.trim()));
    this.protocol = options.transportProtocol;
    this.resolver = options.resolver ?? nodeDnsResolver;
    this.registrarUri = registrarUriOf(this.aor, options.registrar ?? null, options.registrarPort ?? null);
    this.userAgentHeader = options.userAgentHeader ?? null;
    this.#dialogExists = options.dialogExists;
    this.contactUser = options.contactUser ?? contactToken();
    this.authenticator = new Authenticator({
      credentials: { username: options.authUser, password: options.password },
      realms: options.realms ?? new RealmBinding(),
    });
    this.#uas = new UasDispatcher({
      transactions: () => this.transactions,
      transport: this.transport,
      merged: new MergedRequestTable(this.clock),
      supportedExtensions: options.supportedExtensions ?? [],
      ...(options.checkRequestUri === false ? {} : { addressedToUs: (uri: Uri) => isAddressedTo(uri, this.contactUser, this.aor) }),
      dialogExists: () => this.#dialogExists,
      onCancelled: (invite) => {
        for (const h of this.#cancelHandlers) h(invite);
      },
      onHandlerError: (error) => console.error('sip.ua: request handler failed', error),
    });
    this.transactions = new TransactionLayer({
      transport: this.transport,
      clock: this.clock,
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      ...(options.serverCap !== undefined ? { serverCap: options.serverCap } : {}),
      user: {
        onRequest: (request, tx, inbound) => this.#uas.dispatch(request, tx, inbound),
        onAck: (ack, inbound) => {
          for (const h of this.#ackHandlers) h(ack, inbound);
        },
        onStrayResponse: (response, inbound) => {
          for (const h of this.#strayHandlers) h(response, inbound);
        },
      },
    });
    // §8.2 / §18.3: stateless 400 for unparsable requests (only SipTransportLayer reports parse errors)
    const withParseErrors = this.transport as TransportLayer & {
      onParseError?: (l: (e: { error: SipParseError; source: Endpoint }) => void) => () => void;
    };
    if (typeof withParseErrors.onParseError === 'function') {
      this.#unsubscribe.push(withParseErrors.onParseError((e) => this.#uas.answerUnparsable(e.error, e.source)));
    }
  }

  /** UAC: sends a non-INVITE request and resolves with its final response (never rejects for network faults). */
  async sendRequest(request: SipRequest, options: SendRequestOptions = {}): Promise<SipResponse> {
    return (await this.sendRequestDetailed(request, options)).response;
  }

  /** As sendRequest, also giving the request as finally sent and the endpoint (flow) it used. */
  sendRequestDetailed(request: SipRequest, options: SendRequestOptions = {}): Promise<Attempt> {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new Error(`UserAgent.sendRequest: use ${request.method === 'INVITE' ? 'sendInvite' : 'sendAck'} for ${request.method}`);
    }
    this.#assertOpen();
    if (this.userAgentHeader !== null && !request.headers.has('User-Agent')) request.headers.append('User-Agent', this.userAgentHeader);
    return sendWithAuth(this, request, options).then((attempt) => {
      if (attempt.endpoint.port !== 0) this.#lastHop = attempt.endpoint;
      return attempt;
    });
  }

  /** UAC: INVITE; every 2xx (also retransmissions and forks) reaches onFinal. Rejects when no target resolves. */
  sendInvite(request: SipRequest, options: InviteOptions): Promise<InviteHandle> {
    this.#assertOpen();
    return sendInvite(this, request, options);
  }

  /** §13.2.2.4: the ACK for a 2xx is sent by the UA core, statelessly, with a new branch. */
  async sendAck(ack: SipRequest, destination?: Endpoint): Promise<Endpoint> {
    let target = destination;
    if (target === undefined) {
      const resolved = await targetsFor(this, ack);
      if (!resolved.ok) throw new Error(`ACK: no route (${resolved.reason})`);
      const first = resolved.targets[0];
      if (first === undefined) throw new Error('ACK: no target');
      target = first;
    }
    if (!ack.headers.has('Via')) {
      const withVia = withFreshVia(this, ack, target);
      return this.transactions.sendStateless(withVia, target);
    }
    return this.transactions.sendStateless(ack, target);
  }

  /** UAS: the handler for a method; unknown methods get 405 with Allow (§8.2.1). Returns the unregister function. */
  onRequest(method: string, handler: RequestHandler, options?: RequestHandlerOptions): () => void {
    return this.#uas.register(method, handler, options);
  }

  /** ACKs for 2xx responses (§13.3.1.4) and ACKs reaching an Accepted INVITE server transaction (RFC 6026 §8.7) */
  onAck(handler: AckHandler): () => void {
    this.#ackHandlers.add(handler);
    return () => this.#ackHandlers.delete(handler);
  }

  /** responses matching no client transaction (a 2xx retransmission after Timer M, RFC 6026 §8.4) */
  onStrayResponse(handler: (response: SipResponse, inbound: InboundMessage) => void): () => void {
    this.#strayHandlers.add(handler);
    return () => this.#strayHandlers.delete(handler);
  }

  /** an incoming INVITE was CANCELled and answered 487 (§9.2) */
  onCancel(handler: (invite: SipRequest) => void): () => void {
    this.#cancelHandlers.add(handler);
    return () => this.#cancelHandlers.delete(handler);
  }

  /** every authentication that ended without success, whichever request it was (diagnostics, issue 10) */
  onAuthFailure(handler: (request: SipRequest, failure: AuthFailure) => void): () => void {
    this.#authFailureHandlers.add(handler);
    return () => this.#authFailureHandlers.delete(handler);
  }

  reportAuthFailure(request: SipRequest, failure: AuthFailure): void {
    for (const h of this.#authFailureHandlers) h(request, failure);
  }

  /** §12.2.2: the dialog layer says which requests with a To tag belong to a dialog (481 otherwise) */
  setDialogMatcher(matcher: ((request: SipRequest) => boolean) | undefined): void {
    this.#dialogExists = matcher;
  }

  allowedMethods(): string[] {
    return this.#uas.allowedMethods();
  }

  newCallId(): string {
    return newCallId();
  }

  newTag(): string {
    return newTag();
  }

  /** the next CSeq number for a request outside a dialog (§8.1.1.5) */
  nextCSeq(): number {
    this.#cseq = this.#cseq >= 2 ** 31 - 1 ? 1 : this.#cseq + 1;
    return this.#cseq;
  }

  /** From for requests outside a dialog (no tag: buildRequest adds one) */
  from(): NameAddr {
    return { displayName: this.displayName, uri: this.aor, params: new Map() };
  }

  /** the flow (endpoint with connectionId) the last REGISTER used; Contact and keep-alive follow it */
  get flow(): Endpoint | null {
    return this.#flow;
  }

  setFlow(flow: Endpoint | null): void {
    this.#flow = flow;
  }

  /**
   * §8.1.1.8 / §10.2.1: a Contact the PBX can reach us at: the local address and port of the flow toward
   * `destination` (default: the registration flow), with `transport=` for TCP/TLS.
   */
  contact(destination?: Endpoint): string {
    const toward = destination ?? this.#flow ?? this.#lastHop ?? this.#numericProxy();
    const local = this.transport.localAddressFor(toward);
    const user = `${this.contactUser}@`;
    const transport = local.protocol === 'udp' ? '' : `;transport=${local.protocol}`;
    const scheme = this.aor.scheme === 'sips' && local.protocol === 'tls' ? 'sips' : 'sip';
    return `<${scheme}:${user}${local.host}:${local.port}${transport}>`;
  }

  /** the outbound proxy as an endpoint when its host is an IP address; else a loopback stand-in */
  #numericProxy(): Endpoint {
    const p = this.outboundProxy;
    const host = p === null ? '' : p.host.replace(/^\[|\]$/g, '');
    if (p !== null && isNumericHost(host)) {
      return { protocol: this.protocol, address: host, port: p.port ?? (this.protocol === 'tls' ? 5061 : 5060) };
    }
    return { protocol: this.protocol, address: '127.0.0.1', port: 5060 };
  }

  /**
   * RFC 3261 §18.1.1: true when a request to `target` larger than 1300 bytes will go over a congestion
   * controlled transport: the account uses TCP/TLS, or its next hop (outbound proxy, else the target) is
   * not pinned to `transport=udp`, so the UAC moves the request to TCP (applySizeRule).
   */
  largeRequestsCongestionControlled(target: string): boolean {
    if (this.protocol !== 'udp') return true;
    try {
      return hopAllowsTcp(this.outboundProxy ?? requireSipUri(parseUri(target.replace(/^im:/i, 'sip:'))));
    } catch {
      return false;
    }
  }

  /** a formatted From/To value for this account */
  formatAddress(): string {
    return formatNameAddr(this.from());
  }

  /**
   * RFC 5626 §3.5.1 CRLF keep-alive on `endpoint` (the registration flow). Only a SipTransportLayer can
   * ping; other transports (tests) get a no-op. Returns the stop function.
   */
  startKeepAlive(endpoint: Endpoint, intervalMs: number, pongTimeoutMs?: number): () => void {
    if (!(this.transport instanceof SipTransportLayer)) return () => undefined;
    try {
      return startKeepAlive(this.transport, endpoint, intervalMs, pongTimeoutMs !== undefined ? { pongTimeoutMs } : {});
    } catch {
      return () => undefined;
    }
  }

  /** drops every transaction and handler; the transport stays (its owner closes it) */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.transactions.dispose();
    // sends still waiting for their dropped transactions end now (user-agent-uac.ts runTransaction)
    for (const fn of [...this.#closeListeners]) fn();
    this.#closeListeners.clear();
  }

  onClose(fn: () => void): () => void {
    this.#closeListeners.add(fn);
    return () => this.#closeListeners.delete(fn);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('UserAgent is closed');
  }
}

/** §10.2: the Request-URI of REGISTER names the registrar's domain, no user part. */
function registrarUriOf(aor: SipUri, registrar: string | null, port: number | null): SipUri {
  const text = registrar === null || registrar.trim() === '' ? aor.host : registrar.trim();
  const parsed = parseUri(/^sips?:/i.test(text) ? text : `${aor.scheme}:${text}`);
  if (!isSipUri(parsed)) throw new Error(`registrar ${text} is not a SIP host`);
  return { ...parsed, user: null, password: null, port: port ?? parsed.port };
}
