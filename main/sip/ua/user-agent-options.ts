/**
 * Options and callback shapes of the UA core (user-agent.ts). One UserAgent per account.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Clock, ServerCapOptions, ServerTransaction, ServerTransactionCap, TimerConfig, ClientTransaction } from '../transaction/index.ts';
import type { DnsResolver, Endpoint, InboundMessage, TlsTrust, TransportLayer, TransportProtocol } from '../transport/index.ts';
import type { AuthFailure } from './credentials-failure.ts';
import type { RealmBinding } from './realm-binding.ts';

export interface UserAgentOptions {
  /** the transport layer this account sends and receives on (shared sockets are fine) */
  readonly transport: TransportLayer;
  readonly clock: Clock;
  /** address of record, e.g. sip:alice@example.test */
  readonly aor: string;
  readonly displayName?: string | null;
  readonly authUser: string;
  readonly password: string;
  /** the realms the password answers (RFC 3261 §22, issue 10); default: learned from the first REGISTER challenge */
  readonly realms?: RealmBinding;
  /** outbound proxy URI (loose routing, RFC 3261 §8.1.2), e.g. sip:127.0.0.1:15060;transport=tcp; null = none */
  readonly outboundProxy: string | null;
  /** the account's transport: requests without an explicit `transport` parameter use it */
  readonly transportProtocol: TransportProtocol;
  /** registrar / SIP domain (host or host:port); default: the AOR's host */
  readonly registrar?: string | null;
  readonly registrarPort?: number | null;
  /** DNS for RFC 3263 (only asked for names; numeric hosts need none); default Node's resolver */
  readonly resolver?: DnsResolver;
  /**
   * the pinned trust for this account's TLS server: informative here — TLS trust is applied by the transport
   * layer (SipTransportLayer `tlsTrust`), which the creator of the UA configures with the same value
   */
  readonly tlsTrust?: TlsTrust | null;
  /** T1/T2/T4 overrides for this UA's transaction layer (tests shorten T1) */
  readonly timers?: Partial<TimerConfig>;
  /** the cap on live server transactions (issue 10; main/sip/transaction/server-cap.ts) */
  readonly serverCap?: ServerTransactionCap | ServerCapOptions;
  /** User-Agent header value (§20.41); null = none */
  readonly userAgentHeader?: string | null;
  /** option-tags we support (§8.2.2.3, §19.2) */
  readonly supportedExtensions?: readonly string[];
  /** the user part of our Contact; default a random token (issue 10: a scanner cannot guess it) */
  readonly contactUser?: string;
  /** §8.2.2.1 404 for out-of-dialog requests not addressed to our Contact or AOR; default true */
  readonly checkRequestUri?: boolean;
  /** §12.2.2: does a request with a To tag belong to a dialog we know? (set later with setDialogMatcher) */
  readonly dialogExists?: (request: SipRequest) => boolean;
}

export interface SendRequestOptions {
  /** every 1xx */
  onProvisional?(response: SipResponse): void;
  /** send to this endpoint instead of resolving (RFC 3263) a target */
  readonly destination?: Endpoint;
  /** called before every attempt (first send, digest retry, failover) with the endpoint it goes to */
  prepare?(request: SipRequest, destination: Endpoint): void;
  /** CSeq for a digest retry (§8.1.3.5); default the previous CSeq + 1 */
  nextCSeq?(): number;
  /** authentication ended without success: why, in words (§22) */
  onAuthFailure?(failure: AuthFailure): void;
  /** the endpoint (with connectionId for streams) the final response came back over */
  onFlow?(endpoint: Endpoint): void;
  /** no digest retry (e.g. a test of the challenge itself) */
  readonly noAuth?: boolean;
  /**
   * The Via branch of each attempt; default a new random one (§8.1.1.7). A caller that sends the same
   * request again after losing its transaction (a re-send after a restart or a broken connection) gives a
   * branch derived from the request's identity, so the re-send is a retransmission to every server
   * (§17.2.3 matches by branch, sent-by and method), not a second request.
   */
  branchFor?(request: SipRequest, destination: Endpoint): string;
}

export interface InviteOptions {
  onProvisional?(response: SipResponse): void;
  /** every final response: the first non-2xx, or each 2xx (retransmissions and forks too, RFC 6026 §8.4) */
  onFinal(response: SipResponse): void;
  readonly destination?: Endpoint;
  onAuthFailure?(failure: AuthFailure): void;
}

export interface InviteHandle {
  /** §9.1: CANCEL once a provisional response arrived (sent at once when one already did) */
  cancel(): void;
  /** the current INVITE client transaction (a digest retry replaces it) */
  readonly transaction: ClientTransaction;
  /** the INVITE as last sent (with its Via, CSeq and credentials) */
  readonly request: SipRequest;
  /** where it was sent */
  readonly destination: Endpoint;
}

export type RequestHandler = (request: SipRequest, transaction: ServerTransaction, inbound: InboundMessage) => void;
export type AckHandler = (ack: SipRequest, inbound: InboundMessage) => void;

export interface RequestHandlerOptions {
  /** media types this method's bodies may carry (§8.2.3: 415 with Accept otherwise); default any */
  readonly acceptedTypes?: readonly string[];
}
