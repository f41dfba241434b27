import { useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { clearProblem, commitAll, pendingStore, undoDelete } from './pending-deletes.ts';
import { usePendingDeletes } from './usePending.ts';

/** "Contact Bob Builder deleted · Undo" for every delete still waiting; mounted once in the shell. */
export function UndoBar(): ReactNode {
  const pending = usePendingDeletes();
  const problem = useStore(pendingStore, (s) => s.problem);
  useEffect(() => {
    // the window goes away: what the user deleted is deleted (Undo is no longer on screen)
    const flush = () => void commitAll();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, []);
  return (
    <div className="undo-bar" role="status" aria-live="polite" aria-label="Deleted items">
      {pending.map((p) => (
        <div key={p.key} className="undo-item">
          <span>{p.label}</span>
          <button type="button" className="link-button undo-button" aria-label={`Undo: ${p.label}`} onClick={() => undoDelete(p.key)}>
            Undo
          </button>
        </div>
      ))}
      {problem ? (
        <div className="undo-item" role="alert">
          <span className="error-text">{problem}</span>
          <button type="button" className="link-button" onClick={clearProblem}>Dismiss</button>
        </div>
      ) : null}
    </div>
  );
}
