import type { AccountId, EpochMs } from './ids.ts';

/**
 * Whether an account can reach its PBX right now, per account:
 * - online: registered; messages go out at once;
 * - connecting: a registration attempt is on its way;
 * - offline: the last attempt failed or the flow broke (with the cause and, when planned, the next try);
 *   new and interrupted messages wait in the outbox meanwhile instead of each waiting out a timeout.
 */
export type ConnectivityState = 'online' | 'connecting' | 'offline';

/**
 * Why an account is offline: dns (the PBX name does not resolve), refused (connection refused),
 * unreachable (ICMP unreachable: nothing listens, RFC 3261 §18.4), tls (a certificate check failed),
 * no-answer (no response in time), auth (credentials refused), connection-lost (an open connection
 * broke or its keep-alive went unanswered, RFC 5626 §4.4.1), rejected (another refusal by the
 * registrar), server-error (5xx), disabled (account turned off or without a password).
 */
export type ConnectivityCause =
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'tls'
  | 'no-answer'
  | 'auth'
  | 'connection-lost'
  | 'rejected'
  | 'server-error'
  | 'disabled';

export interface ConnectivityDto {
  readonly accountId: AccountId;
  readonly state: ConnectivityState;
  /** null unless offline */
  readonly cause: ConnectivityCause | null;
  /** plain words for the user ("PBX unreachable over UDP (ICMP port unreachable …)"), null when online */
  readonly reason: string | null;
  /** when this state began (epoch ms) */
  readonly since: EpochMs;
  /** when the next automatic attempt is due (epoch ms), null when none is planned or online */
  readonly nextTryAt: EpochMs | null;
}
