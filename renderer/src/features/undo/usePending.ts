import { useMemo } from 'react';
import { useStore } from 'zustand';
import { hiddenIds, pendingStore, type PendingDelete, type PendingKind } from './pending-deletes.ts';

export const usePendingDeletes = (): readonly PendingDelete[] => useStore(pendingStore, (s) => s.pending);

/** ids of `kind` to leave out of lists while their delete can still be undone */
export function useHidden(kind: PendingKind): ReadonlySet<string> {
  const pending = usePendingDeletes();
  return useMemo(() => hiddenIds(pending, kind), [pending, kind]);
}
