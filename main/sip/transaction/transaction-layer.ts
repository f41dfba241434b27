/**
 * The transaction layer (RFC 3261 §17): owns the client and server transaction maps, dispatches what the
 * transport delivers to the matching transaction (§17.1.3, §17.2.3) or to the TU, and hands transport
 * errors to the transactions that used the broken endpoint (§17.1.4, §17.2.4).
 */
import { SipParseError } from '../message/index.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.ts';
import type { Endpoint, InboundMessage, TransportErrorEvent, TransportLayer } from '../transport/types.ts';
import type { Clock } from './clock.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import {
  clientKeyOfResponse,
  clientTransactionKey,
  matchesLegacyTransaction,
  serverTransactionKey,
} from './matching.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { ServerTransactionCap, type ServerCapOptions } from './server-cap.ts';
import { TimerJQueue } from './timer-j-queue.ts';
import type { ClientTransaction, ServerTransaction } from './transaction-types.ts';
import { INVITE_TRYING_DELAY_MS, timerConfig, timerJ, type TimerConfig } from './timers.ts';
import type { ClientTransactionUser, TransactionLayerUser } from './transaction-user.ts';
import { sameEndpoint } from './transport-send.ts';

export interface TransactionLayerOptions {
  readonly transport: TransportLayer;
  readonly clock: Clock;
  readonly user: TransactionLayerUser;
  /** T1/T2/T4 overrides; defaults 500/4000/5000 ms */
  readonly timers?: Partial<TimerConfig>;
  /** §17.2.1 100 (Trying) delay for INVITE server transactions: default 200 ms, 0 = at once */
  readonly inviteTryingDelay?: number;
  /** the cap on live server transactions (server-cap.ts): default 2048, 503 for everyone */
  readonly serverCap?: ServerTransactionCap | ServerCapOptions;
}

function toTagOf(message: SipMessage | undefined): string | null {
  return message === undefined ? null : message.toTag;
}

/**
 * The headers matching and every TU read (§8.1.1: Via, CSeq, Call-ID, From, To). The getters parse
 * lazily and throw SipParseError when a header is missing or malformed; `guarded` turns that into a drop.
 */
function hasTransactionHeaders(message: SipMessage): boolean {
  return (
    message.topVia !== null &&
    message.callId.length > 0 &&
    message.cseq.method.length > 0 &&
    message.from.uri.scheme.length > 0 &&
    message.to.uri.scheme.length > 0
  );
}

/** A lookup that read lazily parsed headers threw: malformed input is a drop (SipParseError), never a throw. */
function rethrowUnlessParseError(error: unknown): void {
  if (!(error instanceof SipParseError)) throw error;
}

export class TransactionLayer {
  readonly timers: TimerConfig;
  readonly #transport: TransportLayer;
  readonly #clock: Clock;
  readonly #user: TransactionLayerUser;
  readonly #tryingDelay: number;
  /** issue 10: live server transactions are bounded; its counters are diagnostics */
  readonly serverCap: ServerTransactionCap;
  readonly #client = new Map<string, ClientTransaction>();
  readonly #server = new Map<string, ServerTransaction>();
  /** RFC 2543 peers (no z9hG4bK branch): few, matched by the §17.2.3 fallback rules */
  readonly #legacyServer = new Set<ServerTransaction>();
  /**
   * non-INVITE server transactions in Completed over UDP, oldest first: their Timer J (§17.2.2) and what
   * the cap sheds first (server-cap.ts)
   */
  readonly #completed: TimerJQueue;
  #serverCreated = 0;
  readonly #unsubscribe: Array<() => void>;

  constructor(options: TransactionLayerOptions) {
    this.timers = timerConfig(options.timers);
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#user = options.user;
    this.#tryingDelay = options.inviteTryingDelay ?? INVITE_TRYING_DELAY_MS;
    this.serverCap = options.serverCap instanceof ServerTransactionCap ? options.serverCap : new ServerTransactionCap(options.serverCap);
    this.#completed = new TimerJQueue(this.#clock, timerJ(false, this.timers));
    this.#unsubscribe = [
      options.transport.onMessage((inbound) => this.receive(inbound)),
      options.transport.onError((event) => this.transportError(event)),
    ];
  }

  /**
   * Starts a client transaction for `request` (INVITE → InviteClientTransaction, otherwise
   * NonInviteClientTransaction) and sends it. The request's top Via MUST carry a z9hG4bK branch
   * (createBranch()). ACK is not a transaction: use sendStateless (§17.1.1.3).
   */
  sendRequest(request: SipRequest, destination: Endpoint, user: ClientTransactionUser): ClientTransaction {
    return request.method === 'INVITE'
      ? this.sendInvite(request, destination, user)
      : this.sendNonInvite(request, destination, user);
  }

  sendInvite(request: SipRequest, destination: Endpoint, user: ClientTransactionUser): InviteClientTransaction {
    const tx: InviteClientTransaction = new InviteClientTransaction({
      request,
      destination,
      user,
      transport: this.#transport,
      clock: this.#clock,
      timers: this.timers,
      onTerminated: () => this.#forgetClient(tx),
    });
    this.#registerClient(tx);
    tx.start();
    return tx;
  }

  sendNonInvite(request: SipRequest, destination: Endpoint, user: ClientTransactionUser): NonInviteClientTransaction {
    if (request.method === 'ACK') {
      throw new Error('TransactionLayer: ACK is not sent in a client transaction; use sendStateless (RFC 3261 §17.1.1.3)');
    }
    const tx: NonInviteClientTransaction = new NonInviteClientTransaction({
      request,
      destination,
      user,
      transport: this.#transport,
      clock: this.#clock,
      timers: this.timers,
      onTerminated: () => this.#forgetClient(tx),
    });
    this.#registerClient(tx);
    tx.start();
    return tx;
  }

  /** Sends outside any transaction: the ACK for a 2xx (§13.2.2.4) is the TU's. */
  sendStateless(message: SipMessage, destination: Endpoint): Promise<Endpoint> {
    return this.#transport.send(message, destination);
  }

  /** §9.2: the INVITE server transaction a CANCEL refers to (same matching as §17.2.3, method INVITE). */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const key = serverTransactionKey(cancel, 'INVITE');
    const tx =
      key !== undefined
        ? this.#server.get(key)
        : [...this.#legacyServer].find((t) => matchesLegacyTransaction(cancel, t.request, null, 'INVITE'));
    return tx?.kind === 'invite-server' ? tx : undefined;
  }

  /** Live transactions (Terminated ones are removed at once, §17.1.1.2 "destroyed the instant"). */
  get clientTransactionCount(): number {
    return this.#client.size;
  }

  get serverTransactionCount(): number {
    return this.#server.size + this.#legacyServer.size;
  }

  /** server transactions created since the start (the load on this edge, e.g. to tell a flood is over) */
  get serverTransactionsCreated(): number {
    return this.#serverCreated;
  }

  /**
   * Entry point for the transport's onMessage (public so a test or another transport can feed it).
   * Messages whose Via/CSeq/From/To/Call-ID cannot be read name no transaction and are dropped here;
   * the transport/UA core answers 400 to those it can (§8.2, §18.3).
   */
  receive(inbound: InboundMessage): void {
    const message = inbound.message;
    if (message.kind === 'response') this.#receiveResponse(message, inbound);
    else this.#receiveRequest(message, inbound);
  }

  /** Entry point for the transport's onError: every transaction on that endpoint learns of it. */
  transportError(event: TransportErrorEvent): void {
    const all: Array<ClientTransaction | ServerTransaction> = [
      ...this.#client.values(),
      ...this.#server.values(),
      ...this.#legacyServer,
    ];
    for (const tx of all) {
      if (sameEndpoint(tx.endpoint, event.endpoint)) tx.transportError(event.reason);
    }
  }

  /** Unsubscribes from the transport and drops every transaction without telling the TUs. */
  dispose(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    for (const tx of [...this.#client.values(), ...this.#server.values(), ...this.#legacyServer]) tx.dispose();
    this.#client.clear();
    this.#server.clear();
    this.#legacyServer.clear();
    this.#completed.dispose();
  }

  #receiveResponse(response: SipResponse, inbound: InboundMessage): void {
    let key: string | undefined;
    try {
      key = hasTransactionHeaders(response) ? clientKeyOfResponse(response) : undefined;
    } catch (error) {
      rethrowUnlessParseError(error);
      return;
    }
    const tx = key === undefined ? undefined : this.#client.get(key);
    if (tx !== undefined) tx.receiveResponse(response);
    else this.#user.onStrayResponse?.(response, inbound);
  }

  #receiveRequest(request: SipRequest, inbound: InboundMessage): void {
    // §17.2.3: the key (RFC 3261 branch) or, for an RFC 2543 peer, the fallback rules
    let key: string | undefined;
    let existing: ServerTransaction | undefined;
    try {
      if (!hasTransactionHeaders(request)) return;
      key = serverTransactionKey(request);
      existing = key !== undefined ? this.#server.get(key) : this.#matchLegacy(request);
    } catch (error) {
      rethrowUnlessParseError(error);
      return;
    }
    if (existing !== undefined) {
      // RFC 6026 §8.7: an ACK reaching an INVITE server transaction in 'Accepted' is passed to the TU.
      if (request.method === 'ACK' && existing.kind === 'invite-server' && existing.state === 'Accepted') {
        this.#user.onAck(request, inbound);
        return;
      }
      // §17.2.3: a match is a retransmission (or the ACK for a non-2xx final): the transaction absorbs it.
      existing.receiveRequest(request);
      return;
    }
    if (request.method === 'ACK') {
      // §17.2.3 / §13.3.1.4: an ACK matching no server transaction is the ACK for a 2xx, for the TU.
      this.#user.onAck(request, inbound);
      return;
    }
    if (!this.serverCap.admits(this.serverTransactionCount) && !this.#shedOldestCompleted()) {
      // issue 10: above the cap, 503 + Retry-After to the registered path, silence to anyone else
      this.serverCap.refuse(request, inbound, this.#transport);
      return;
    }
    const tx = this.#createServer(request, inbound, key);
    this.#user.onRequest(request, tx, inbound);
  }

  #matchLegacy(request: SipRequest): ServerTransaction | undefined {
    for (const tx of this.#legacyServer) {
      if (matchesLegacyTransaction(request, tx.request, toTagOf(tx.lastResponse))) return tx;
    }
    return undefined;
  }

  /** `key`: serverTransactionKey(request), undefined for an RFC 2543 peer */
  #createServer(request: SipRequest, inbound: InboundMessage, key: string | undefined): ServerTransaction {
    const onTerminated = (): void => this.#forgetServer(tx, key);
    const options = { request, source: inbound.source, raw: inbound.raw, transport: this.#transport, clock: this.#clock, timers: this.timers, onTerminated };
    const tx: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction({ ...options, tryingDelay: this.#tryingDelay })
        : new NonInviteServerTransaction({ ...options, timerJQueue: this.#completed });
    if (key !== undefined) this.#server.set(key, tx);
    else this.#legacyServer.add(tx);
    this.#serverCreated++;
    tx.start();
    return tx;
  }

  /** is a client transaction with this branch and method still live (§17.1.3 key)? */
  hasClient(branch: string, method: string): boolean {
    return this.#client.has(clientTransactionKey(branch, method));
  }

  #registerClient(tx: ClientTransaction): void {
    const key = clientTransactionKey(tx.branch, tx.method);
    if (this.#client.has(key)) {
      throw new Error(`TransactionLayer: a ${tx.method} client transaction with branch ${tx.branch} already exists`);
    }
    this.#client.set(key, tx);
  }

  #forgetClient(tx: ClientTransaction): void {
    const key = clientTransactionKey(tx.branch, tx.method);
    if (this.#client.get(key) === tx) this.#client.delete(key);
  }

  /**
   * At the cap, the oldest answered non-INVITE transaction gives its place up before Timer J (it only
   * absorbs retransmissions, §17.2.2; see NonInviteServerTransaction.shed): answered traffic never
   * fills the cap, only requests the TU has not answered yet (and INVITEs) do.
   */
  #shedOldestCompleted(): boolean {
    if (!this.#completed.shedOldest()) return false;
    this.serverCap.countShed();
    return true;
  }

  #forgetServer(tx: ServerTransaction, key: string | undefined): void {
    if (key === undefined) this.#legacyServer.delete(tx);
    else if (this.#server.get(key) === tx) this.#server.delete(key);
  }
}
