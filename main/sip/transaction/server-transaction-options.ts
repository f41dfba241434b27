import type { SipRequest } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import type { Clock } from './clock.ts';
import type { TimerJQueue } from './timer-j-queue.ts';
import type { TimerConfig } from './timers.ts';
import type { ServerTransactionUser } from './transaction-user.ts';

export interface ServerTransactionOptions {
  /** the request that created the transaction */
  readonly request: SipRequest;
  /** where it came from (InboundMessage.source): responses go back there (§18.2.2) */
  readonly source: Endpoint;
  /**
   * the octets it arrived in (InboundMessage.raw), when the transport gave them: a Completed non-INVITE
   * transaction keeps these instead of the parsed request (non-invite-server-transaction.ts)
   */
  readonly raw?: Buffer;
  readonly transport: TransportLayer;
  readonly clock: Clock;
  readonly timers?: TimerConfig;
  readonly user?: ServerTransactionUser;
  /** for the TransactionLayer: called once when the transaction reaches Terminated */
  readonly onTerminated?: () => void;
  /**
   * non-INVITE only: the TransactionLayer's shared Timer J (timer-j-queue.ts), which is also the order in
   * which its cap (server-cap.ts) sheds Completed transactions; without it the transaction times itself
   */
  readonly timerJQueue?: TimerJQueue;
}

export interface InviteServerTransactionOptions extends ServerTransactionOptions {
  /**
   * §17.2.1: ms after which the transaction sends 100 (Trying) itself if the TU has not answered yet.
   * Default INVITE_TRYING_DELAY_MS (200); 0 sends it at once, in start().
   */
  readonly tryingDelay?: number;
}
