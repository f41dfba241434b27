/**
 * SIP transaction layer (RFC 3261 §17, RFC 6026). The only module other layers import from.
 */
export type { Clock, TimerHandle } from './clock.ts';
export { settleWithin, systemClock } from './clock.ts';
export * from './timers.ts';
export { BRANCH_MAGIC_COOKIE, newBranch as createBranch, isRfc3261Branch } from '../message/index.ts';
export { TransactionStateError } from './transaction-state-error.ts';
export type { ClientTransactionUser, ServerTransactionUser, TransactionLayerUser } from './transaction-user.ts';
export type { ClientTransactionOptions } from './client-transaction-options.ts';
export type { ServerTransactionOptions, InviteServerTransactionOptions } from './server-transaction-options.ts';
export { InviteClientTransaction } from './invite-client-transaction.ts';
export type { InviteClientState } from './invite-client-transaction.ts';
export { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
export type { NonInviteClientState } from './non-invite-client-transaction.ts';
export { InviteServerTransaction } from './invite-server-transaction.ts';
export type { InviteServerState } from './invite-server-transaction.ts';
export { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
export type { NonInviteServerState } from './non-invite-server-transaction.ts';
export type { ClientTransaction, ServerTransaction } from './transaction-types.ts';
export { TransactionLayer } from './transaction-layer.ts';
export type { TransactionLayerOptions } from './transaction-layer.ts';
export { createAckForNonSuccess } from './ack.ts';
export { responseDestination } from './response-destination.ts';
export { clientTransactionKey, serverTransactionKey } from './matching.ts';
export { ServerTransactionCap, DEFAULT_MAX_SERVER_TRANSACTIONS, DEFAULT_OVERLOAD_RETRY_AFTER_S } from './server-cap.ts';
export type { ServerCapCounters, ServerCapOptions } from './server-cap.ts';
