/**
 * Who can see my status (RFC 3856 §6.6 watcher authorization): contacts asking to see it, each with
 * Allow / Block, then the people already answered, whose answer can be changed. Names as contacts name
 * them; the decision is kept by main and applies at once to their live subscriptions.
 */
import { useState, type ReactNode } from 'react';
import type { WatcherDecision, WatcherDto } from '#shared/domain/presence.ts';
import { decideWatcher } from '../../bridge/api.ts';
import { peerName } from '../../lib/names.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';

function useDecide(): { decide: (w: WatcherDto, d: WatcherDecision) => void; problem: string | null } {
  const [problem, setProblem] = useState<string | null>(null);
  const decide = (w: WatcherDto, decision: WatcherDecision) =>
    void decideWatcher({ address: w.address, decision }).then((r) => {
      if (r.ok) actions().watchersChanged(r.value);
      setProblem(r.ok ? null : r.error.message);
    });
  return { decide, problem };
}

/** pending requests only (the contacts screen shows them on top); nothing when there are none */
export function WatcherRequests(): ReactNode {
  const pending = useApp((s) => s.watchers).filter((w) => w.decision === 'pending');
  const contacts = useApp((s) => s.contacts.byId);
  const { decide, problem } = useDecide();
  if (pending.length === 0) return null;
  return (
    <section className="card watcher-requests" aria-label="Requests to see your status">
      <h3>Want to see your status</h3>
      <ul className="plain-list">
        {pending.map((w) => {
          const name = peerName(contacts, w.address);
          return (
            <li key={w.address} className="field-row">
              <span>{name} asks to see when you are available</span>
              <button type="button" className="primary" aria-label={`Allow ${name} to see your status`} onClick={() => decide(w, 'allow')}>Allow</button>
              <button type="button" aria-label={`Block ${name} from seeing your status`} onClick={() => decide(w, 'block')}>Block</button>
            </li>
          );
        })}
      </ul>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}

/** the settings view: requests, then everyone already allowed or blocked */
export function WatcherDecisions(): ReactNode {
  const decided = useApp((s) => s.watchers).filter((w) => w.decision !== 'pending');
  const contacts = useApp((s) => s.contacts.byId);
  const { decide, problem } = useDecide();
  return (
    <div className="watcher-decisions">
      <WatcherRequests />
      {decided.length === 0 ? (
        <p className="muted small">Contacts who ask to see your status appear here for you to allow or block.</p>
      ) : (
        <ul className="plain-list" aria-label="People you answered">
          {decided.map((w) => {
            const name = peerName(contacts, w.address);
            const other: WatcherDecision = w.decision === 'allow' ? 'block' : 'allow';
            return (
              <li key={w.address} className="field-row">
                <span>{name}: {w.decision === 'allow' ? 'can see your status' : 'blocked'}</span>
                <button type="button" aria-label={`${other === 'allow' ? 'Allow' : 'Block'} ${name}`} onClick={() => decide(w, other)}>
                  {other === 'allow' ? 'Allow' : 'Block'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </div>
  );
}
