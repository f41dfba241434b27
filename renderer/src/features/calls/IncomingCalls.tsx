import { useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CallId } from '#shared/domain/ids.ts';
import { listOf } from '../../store/normalized.ts';
import { useApp } from '../../store/use-app.ts';
import { answerCall, declineCall } from './commands.ts';

/** A banner for every ringing incoming call: answer or decline; a call waiting says that answering holds the current one. */
export function IncomingCalls(): ReactNode {
  const incoming = useApp(useShallow((s) => listOf(s.calls).filter((c) => c.state === 'incoming')));
  const [problem, setProblem] = useState<string | null>(null);
  if (incoming.length === 0) return null;
  return (
    <div className="incoming" role="alertdialog" aria-label="Incoming call">
      {incoming.map((c) => (
        <div key={c.id} className="incoming-call">
          {c.waiting ? (
            <span>Call waiting: <strong>{c.peerName || c.peer}</strong> (answering puts your current call on hold)</span>
          ) : (
            <span>Incoming call from <strong>{c.peerName || c.peer}</strong></span>
          )}
          <button type="button" className="primary" aria-label={`${c.waiting ? 'Hold current call and answer' : 'Answer call from'} ${c.peerName || c.peer}`} onClick={() => void answerCall(c.id as CallId).then((r) => setProblem(r.ok ? null : r.error))}>Answer</button>
          <button type="button" className="danger" aria-label={`Decline call from ${c.peerName || c.peer}`} onClick={() => void declineCall(c.id as CallId).then((r) => setProblem(r.ok ? null : r.error))}>Decline</button>
        </div>
      ))}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </div>
  );
}
