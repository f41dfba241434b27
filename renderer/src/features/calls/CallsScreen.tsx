import { useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DialPad } from '../../components/DialPad.tsx';
import { shortWhen } from '../../lib/format.ts';
import { listOf } from '../../store/normalized.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { callStateWords, isLive } from './call-words.ts';
import { CallScreen } from './CallScreen.tsx';
import { placeCall } from './commands.ts';

export function CallsScreen(): ReactNode {
  const calls = useApp(useShallow((s) => listOf(s.calls)));
  const focusedId = useApp((s) => s.focusedCallId);
  const hasAccount = useApp((s) => s.accounts.ids.length > 0);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const focused = calls.find((c) => c.id === focusedId) ?? calls.find(isLive) ?? null;
  const dial = async (e?: FormEvent) => {
    e?.preventDefault();
    const raw = number.trim();
    if (raw === '') return;
    const r = await placeCall(/^(sips?):/.test(raw) ? raw : `sip:${raw}`);
    setProblem(r.ok ? null : r.error);
  };
  if (focused && isLive(focused)) return <CallScreen call={focused} />;
  return (
    <section className="screen calls" aria-label="Calls">
      <div className="dialer">
        <h2>Dial</h2>
        {!hasAccount ? <p className="muted">Add an account first to make calls.</p> : null}
        <form className="inline-form" onSubmit={dial}>
          <input aria-label="Number or SIP address to call" placeholder="200 or sip:bob@pbx.example.com" value={number} onChange={(e) => setNumber(e.target.value)} />
          <button type="submit" className="primary" disabled={number.trim() === ''}>Call</button>
        </form>
        <DialPad label="Dial pad" onKey={(k) => setNumber((n) => n + k)} />
        {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      </div>
      <div className="call-history">
        <h2>Recent calls</h2>
        {calls.length === 0 ? <p className="muted">No calls yet.</p> : null}
        <ul className="card-list" aria-label="Recent calls">
          {calls.map((c) => (
            <li key={c.id}>
              <button type="button" className="card" onClick={() => actions().callFocused(c.id as CallId)}>
                <span>{c.direction === 'in' ? '↙' : '↗'} {c.peerName || c.peer}</span>
                <span className="muted small">{callStateWords(c)} · {shortWhen(c.startedAt)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
