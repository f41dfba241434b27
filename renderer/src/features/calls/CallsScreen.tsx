import { useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PhoneIncoming, PhoneMissed, PhoneOutgoing } from 'lucide-react';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { DialPad } from '../../components/DialPad.tsx';
import { shortWhen } from '../../lib/format.ts';
import { listOf } from '../../store/normalized.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { callInFront } from './call-model.ts';
import { callOutcome, callSummary } from './call-words.ts';
import { CallScreen } from './CallScreen.tsx';
import { placeCall } from './commands.ts';
import { useCallPeerName } from './usePeerName.ts';

function OutcomeIcon({ call }: { readonly call: CallDto }): ReactNode {
  const outcome = callOutcome(call);
  if (outcome === 'missed') return <PhoneMissed className="icon bad" aria-hidden="true" />;
  return call.direction === 'in' ? <PhoneIncoming className="icon" aria-hidden="true" /> : <PhoneOutgoing className="icon" aria-hidden="true" />;
}

function RecentCall({ call, onProblem }: { readonly call: CallDto; readonly onProblem: (p: string | null) => void }): ReactNode {
  const name = useCallPeerName(call);
  const missed = callOutcome(call) === 'missed';
  return (
    <li className={`card recent-call ${missed ? 'missed' : ''}`}>
      <OutcomeIcon call={call} />
      <span className="recent-call-text">
        <strong>{name}</strong>
        <span className={`small ${missed ? 'bad-text' : 'muted'}`}>{callSummary(call)} · {shortWhen(call.startedAt)}</span>
      </span>
      <button type="button" aria-label={`Call ${name} back`} onClick={() => void placeCall(call.peer).then((r) => onProblem(r.ok ? null : r.error))}>
        Call back
      </button>
    </li>
  );
}

export function CallsScreen(): ReactNode {
  const calls = useApp(useShallow((s) => listOf(s.calls)));
  const front = useApp((s) => callInFront(s));
  const hasAccount = useApp((s) => s.accounts.ids.length > 0);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const dial = async (e?: FormEvent) => {
    e?.preventDefault();
    const raw = number.trim();
    if (raw === '') return;
    const r = await placeCall(/^(sips?):/.test(raw) ? raw : `sip:${raw}`);
    setProblem(r.ok ? null : r.error);
  };
  // a live call is always in front: an ended or failed call never hides it (issue 16 item 1)
  if (front !== null) return <CallScreen call={front} />;
  const recent = calls.filter((c) => c.state === 'ended');
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
        {recent.length === 0 ? <p className="muted">No calls yet.</p> : null}
        <ul className="card-list" aria-label="Recent calls">
          {recent.map((c) => <RecentCall key={c.id} call={c} onProblem={setProblem} />)}
        </ul>
      </div>
    </section>
  );
}

/** live calls other than the one in front (waiting, held): swap to one with a click */
export function OtherLiveCalls({ current }: { readonly current: CallId }): ReactNode {
  const others = useApp(useShallow((s) => listOf(s.calls).filter((c) => c.state !== 'ended' && c.id !== current)));
  if (others.length === 0) return null;
  return (
    <ul className="other-calls" aria-label="Other calls">
      {others.map((c) => <OtherCall key={c.id} call={c} />)}
    </ul>
  );
}

function OtherCall({ call }: { readonly call: CallDto }): ReactNode {
  const name = useCallPeerName(call);
  return (
    <li>
      <button type="button" onClick={() => actions().callFocused(call.id as CallId)}>Switch to {name} ({callSummary(call)})</button>
    </li>
  );
}
