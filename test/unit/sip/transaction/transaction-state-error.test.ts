import { describe, expect, it } from 'vitest';
import { assertTransition, TransactionStateError } from '../../../../main/sip/transaction/transaction-state-error.ts';

type S = 'Trying' | 'Completed' | 'Terminated';
const table: Record<S, readonly S[]> = { Trying: ['Completed', 'Terminated'], Completed: ['Terminated'], Terminated: [] };

describe('state guard', () => {
  it('allows the moves of the table', () => {
    expect(() => assertTransition('Test', table, 'Trying', 'Completed')).not.toThrow();
    expect(() => assertTransition('Test', table, 'Completed', 'Terminated')).not.toThrow();
  });

  it('throws TransactionStateError (a programmer fault) on an illegal transition', () => {
    expect(() => assertTransition('Test', table, 'Completed', 'Trying')).toThrow(TransactionStateError);
    expect(() => assertTransition('Test', table, 'Terminated', 'Terminated')).toThrow(/illegal state transition Terminated -> Terminated/);
  });
});
