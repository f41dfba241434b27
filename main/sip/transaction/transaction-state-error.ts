/**
 * A programmer fault: code asked a transaction for a move its RFC 3261 §17 state machine does not have.
 * Network input never causes this; it is absorbed or discarded as the RFC says.
 */
export class TransactionStateError extends Error {
  readonly transaction: string;
  readonly from: string;
  readonly to: string;

  constructor(transaction: string, from: string, to: string) {
    super(`${transaction}: illegal state transition ${from} -> ${to}`);
    this.name = 'TransactionStateError';
    this.transaction = transaction;
    this.from = from;
    this.to = to;
  }
}

/** Guards a transition against the machine's table; throws TransactionStateError when it is not there. */
export function assertTransition<S extends string>(
  transaction: string,
  table: Readonly<Record<S, readonly S[]>>,
  from: S,
  to: S,
): void {
  if (!table[from].includes(to)) throw new TransactionStateError(transaction, from, to);
}
