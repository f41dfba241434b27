import type { SipRequest } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';
import type { Clock } from './clock.ts';
import { isRfc3261Branch } from '../message/index.ts';
import type { TimerConfig } from './timers.ts';
import type { ClientTransactionUser } from './transaction-user.ts';

export interface ClientTransactionOptions {
  /** the request, complete with a top Via carrying a z9hG4bK branch (§8.1.1.7) */
  readonly request: SipRequest;
  /** where to send it (after RFC 3263 resolution) */
  readonly destination: Endpoint;
  readonly user: ClientTransactionUser;
  readonly transport: TransportLayer;
  readonly clock: Clock;
  /** defaults to DEFAULT_TIMER_CONFIG */
  readonly timers?: TimerConfig;
  /** for the TransactionLayer: called once when the transaction reaches Terminated */
  readonly onTerminated?: () => void;
}

/** Programmer faults: a client transaction needs a request that names its transaction (§17.1.3). */
export function requireClientBranch(kind: string, request: SipRequest): string {
  const branch = request.topVia?.branch;
  if (!isRfc3261Branch(branch)) {
    throw new Error(`${kind}: the request's top Via needs a branch starting with z9hG4bK (RFC 3261 §8.1.1.7)`);
  }
  return branch;
}
