/**
 * INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §8.5-§8.7.
 *
 *   Proceeding --300-699 from TU--> Completed --ACK--> Confirmed --Timer I--> Terminated
 *   Proceeding --2xx from TU--> Accepted --Timer L--> Terminated
 *   Completed --Timer H--> Terminated (TU told the ACK never came)
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Endpoint } from '../transport/types.ts';
import { ResponseSender } from './response-sender.ts';
import type { InviteServerTransactionOptions } from './server-transaction-options.ts';
import { DEFAULT_TIMER_CONFIG, INVITE_TRYING_DELAY_MS, timerGInterval, timerH, timerI, timerL, type TimerConfig } from './timers.ts';
import { assertTransition } from './transaction-state-error.ts';
import { TransactionTimers } from './transaction-timers.ts';
import type { ServerTransactionUser } from './transaction-user.ts';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

const TRANSITIONS: Readonly<Record<InviteServerState, readonly InviteServerState[]>> = {
  Proceeding: ['Completed', 'Accepted', 'Terminated'],
  Completed: ['Confirmed', 'Terminated'],
  Confirmed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
};

export class InviteServerTransaction {
  readonly kind = 'invite-server' as const;
  readonly request: SipRequest;
  readonly method = 'INVITE';
  readonly reliable: boolean;
  readonly #sender: ResponseSender;
  readonly #config: TimerConfig;
  readonly #timers: TransactionTimers;
  readonly #tryingDelay: number;
  readonly #onTerminated: (() => void) | undefined;
  #user: ServerTransactionUser;
  #state: InviteServerState = 'Proceeding';
  #lastProvisional: SipResponse | undefined;
  #finalResponse: SipResponse | undefined;
  #retransmissions = 0;
  #started = false;

  constructor(options: InviteServerTransactionOptions) {
    if (options.request.method !== 'INVITE') {
      throw new Error(`InviteServerTransaction: needs an INVITE, got ${options.request.method} (RFC 3261 §17.2.1)`);
    }
    this.request = options.request;
    this.reliable = options.transport.isReliable(options.source.protocol);
    this.#sender = new ResponseSender(options.transport, options.request, options.source);
    this.#config = options.timers ?? DEFAULT_TIMER_CONFIG;
    this.#timers = new TransactionTimers(options.clock);
    this.#tryingDelay = options.tryingDelay ?? INVITE_TRYING_DELAY_MS;
    this.#onTerminated = options.onTerminated;
    this.#user = options.user ?? {};
  }

  get state(): InviteServerState {
    return this.#state;
  }

  get endpoint(): Endpoint {
    return this.#sender.endpoint;
  }

  /** the last response passed to the transport: the final one once there is one */
  get lastResponse(): SipResponse | undefined {
    return this.#finalResponse ?? this.#lastProvisional;
  }

  setUser(user: ServerTransactionUser): void {
    this.#user = user;
  }

  /**
   * §17.2.1: "When a server transaction is constructed for a request, it enters the 'Proceeding' state.
   * The server transaction MUST generate a 100 (Trying) response unless it knows that the TU will
   * generate a provisional or final response within 200 ms". We wait `tryingDelay` (200 ms) for the TU.
   */
  start(): void {
    if (this.#started) throw new Error('InviteServerTransaction: start() called twice');
    this.#started = true;
    if (this.#tryingDelay === 0) this.#sendTrying();
    else this.#timers.start('Trying', this.#tryingDelay, () => this.#sendTrying());
  }

  /** A response from the TU. Throws on a status outside 100-699 (programmer fault). */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      throw new RangeError(`InviteServerTransaction.respond: bad status ${status}`);
    }
    switch (this.#state) {
      case 'Proceeding':
        this.#timers.stop('Trying');
        if (status < 200) {
          // §17.2.1: "So long as the server transaction is in the 'Proceeding' state, each of these MUST be
          // passed to the transport layer for transmission."
          this.#lastProvisional = response;
          this.#send(response);
          return;
        }
        this.#finalResponse = response;
        if (status < 300) {
          // RFC 6026 §8.5: "If, while in the 'Proceeding' state, the TU passes a 2xx response to the server
          // transaction, the server transaction MUST pass this response to the transport layer for
          // transmission. ... The server transaction MUST then transition to the 'Accepted' state."
          this.#send(response);
          this.#transition('Accepted');
          // RFC 6026 §8.7: Timer L = 64*T1 absorbs retransmissions of the accepted INVITE.
          this.#timers.start('L', timerL(this.#config), () => this.#timerL());
          return;
        }
        // §17.2.1: "If, while in the 'Proceeding' state, the TU passes a response with status code from 300
        // to 699 to the server transaction, the response MUST be passed to the transport layer for
        // transmission, and the state machine MUST enter the 'Completed' state. For unreliable transports,
        // timer G is set to fire in T1 seconds ... For any transport, timer H MUST be set to fire in 64*T1."
        this.#send(response);
        this.#transition('Completed');
        if (!this.reliable) this.#timers.start('G', timerGInterval(0, this.#config), () => this.#timerG());
        this.#timers.start('H', timerH(this.#config), () => this.#timerH());
        return;
      case 'Accepted':
        // RFC 6026 §8.7: "While in the 'Accepted' state, if the TU passes a 2xx response for an INVITE to
        // the server transaction, the server transaction MUST pass this response to the transport layer"
        // (the TU retransmits its 2xx, §13.3.1.4). Anything else is discarded.
        if (status >= 200 && status < 300) this.#send(response);
        return;
      case 'Completed':
      case 'Confirmed':
      case 'Terminated':
        // a final response was already sent: later ones from the TU are discarded
        return;
    }
  }

  /** A request matched to this transaction (§17.2.3): an INVITE retransmission or an ACK. */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      this.#receiveAck();
      return;
    }
    switch (this.#state) {
      case 'Proceeding':
        // §17.2.1: "If a request retransmission is received while in the 'Proceeding' state, the most
        // recent provisional response that was received from the TU MUST be passed to the transport layer
        // for retransmission." Before the TU said anything, the 100 (Trying) is due now.
        if (this.#lastProvisional !== undefined) this.#send(this.#lastProvisional);
        else this.#sendTrying();
        return;
      case 'Completed':
        // §17.2.1: "while in the 'Completed' state, if a request retransmission is received, the server
        // SHOULD pass the response to the transport for retransmission."
        if (this.#finalResponse !== undefined) this.#send(this.#finalResponse);
        return;
      case 'Confirmed':
      case 'Accepted':
      case 'Terminated':
        // RFC 6026 §8.7: retransmissions of an accepted INVITE are absorbed, not passed to the TU.
        return;
    }
  }

  /** §17.2.4: the transport failed to deliver a response (or the connection broke). */
  transportError(reason: string): void {
    if (this.#state === 'Terminated' || this.#state === 'Confirmed') return;
    if (this.#state === 'Accepted') {
      // RFC 6026 §8.7 (Figure 7): in 'Accepted' a transport error informs the TU and the transaction stays
      // to absorb INVITE retransmissions until Timer L.
      this.#user.onTransportError?.(reason);
      return;
    }
    this.#transition('Terminated');
    this.#user.onTransportError?.(reason);
    this.#user.onTerminated?.();
  }

  dispose(): void {
    if (this.#state === 'Terminated') return;
    this.#transition('Terminated');
  }

  #receiveAck(): void {
    switch (this.#state) {
      case 'Completed': {
        // §17.2.1: "If an ACK is received while the server transaction is in the 'Completed' state, the
        // server transaction MUST transition to the 'Confirmed' state. As Timer G is ignored in this
        // state, any retransmissions of the response will cease."
        this.#timers.stop('G');
        this.#timers.stop('H');
        this.#transition('Confirmed');
        // "The purpose of the 'Confirmed' state is to absorb any additional ACK messages ... When this
        // state is entered, timer I is set to fire in T4 seconds for unreliable transports, and zero
        // seconds for reliable transports."
        const ms = timerI(this.reliable, this.#config);
        if (ms === 0) this.#timerI();
        else this.#timers.start('I', ms, () => this.#timerI());
        return;
      }
      case 'Accepted':
        // RFC 6026 §8.7: the ACK for a 2xx belongs to the TU; TransactionLayer passes it up (onAck).
        return;
      case 'Proceeding':
      case 'Confirmed':
      case 'Terminated':
        return;
    }
  }

  #sendTrying(): void {
    if (this.#state !== 'Proceeding' || this.#lastProvisional !== undefined) return;
    // §17.2.1: the 100 is built per §8.2.6, "except that the insertion of tags in the To header field of
    // the response (when none was present in the request) is downgraded from MAY to SHOULD NOT."
    this.#lastProvisional = createResponse(this.request, 100, 'Trying');
    this.#send(this.#lastProvisional);
  }

  #timerG(): void {
    if (this.#state !== 'Completed' || this.#finalResponse === undefined) return;
    // §17.2.1: "If timer G fires, the response is passed to the transport layer once more for
    // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds. From then on, when timer G
    // fires, the response is passed to the transport again for transmission, and timer G is reset with a
    // value that doubles, unless that value exceeds T2, in which case it is reset with the value of T2."
    this.#retransmissions++;
    this.#send(this.#finalResponse);
    this.#timers.start('G', timerGInterval(this.#retransmissions, this.#config), () => this.#timerG());
  }

  #timerH(): void {
    if (this.#state !== 'Completed') return;
    // §17.2.1: "If timer H fires while in the 'Completed' state, it implies that the ACK was never
    // received. In this case, the server transaction MUST transition to the 'Terminated' state, and MUST
    // indicate to the TU that a transaction failure has occurred."
    this.#transition('Terminated');
    this.#user.onTimeout?.();
    this.#user.onTerminated?.();
  }

  #timerI(): void {
    if (this.#state !== 'Confirmed') return;
    // §17.2.1: "Once timer I fires, the server MUST transition to the 'Terminated' state."
    this.#transition('Terminated');
    this.#user.onTerminated?.();
  }

  #timerL(): void {
    if (this.#state !== 'Accepted') return;
    // RFC 6026 §8.7: "If Timer L fires while the INVITE server transaction is in the 'Accepted' state, the
    // transaction MUST transition to the 'Terminated' state."
    this.#transition('Terminated');
    this.#user.onTerminated?.();
  }

  #send(response: SipResponse): void {
    this.#sender.send(response, (reason) => this.transportError(reason));
  }

  #transition(to: InviteServerState): void {
    assertTransition('InviteServerTransaction', TRANSITIONS, this.#state, to);
    this.#state = to;
    // "Once the transaction is in the 'Terminated' state, it MUST be destroyed immediately."
    if (to === 'Terminated') {
      this.#timers.stopAll();
      this.#onTerminated?.();
    }
  }
}
