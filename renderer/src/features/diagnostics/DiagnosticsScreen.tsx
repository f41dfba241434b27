import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SelfTestResult } from '#shared/domain/trace.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { timeOfDay } from '../../lib/format.ts';
import { listOf } from '../../store/normalized.ts';
import { useApp } from '../../store/use-app.ts';
import { reloadTrace, sendTestMessage, stopWatchingTrace, watchTrace } from './commands.ts';
import { EdgeCounters } from './EdgeCounters.tsx';

function SelfTest(): ReactNode {
  const accounts = useApp(useShallow((s) => listOf(s.accounts)));
  const [accountId, setAccountId] = useState<string>('');
  const [result, setResult] = useState<SelfTestResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = accountId || accounts[0]?.id || '';
  if (accounts.length === 0) return <p className="muted">Add an account to send a test message to yourself.</p>;
  const run = async () => {
    setBusy(true);
    setResult(null);
    const r = await sendTestMessage(chosen as AccountId);
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setProblem(null);
    } else setProblem(r.error);
  };
  return (
    <div className="inline-form">
      <label htmlFor="selftest-account">Account</label>
      <select id="selftest-account" value={chosen} onChange={(e) => setAccountId(e.target.value)}>
        {accounts.map((a) => <option key={a.id} value={a.id}>{a.displayName || a.aor}</option>)}
      </select>
      <button type="button" disabled={busy} onClick={run}>Send a test message to myself</button>
      {result ? <p className={result.ok ? 'ok-text' : 'error-text'} role="status">{result.code && !result.explanation.includes(`(${result.code})`) ? `${result.explanation} (${result.code})` : result.explanation}</p> : null}
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </div>
  );
}

/** The SIP trace (newest first, filter by Call-ID, full text of each message) and the self test. */
export function DiagnosticsScreen(): ReactNode {
  const trace = useApp((s) => s.trace);
  const [callId, setCallId] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // issue 18: main sends the trace live only while this view is open
  useEffect(() => {
    let mounted = true;
    void watchTrace().then((r) => {
      if (mounted) setProblem(r.ok ? null : r.error);
    });
    return () => {
      mounted = false;
      void stopWatchingTrace();
    };
  }, []);
  const shown = useMemo(() => {
    const q = callId.trim();
    return q === '' ? trace : trace.filter((t) => t.callId !== null && t.callId.includes(q));
  }, [trace, callId]);
  return (
    <section className="screen" aria-label="Diagnostics">
      <header className="screen-head">
        <h2>Diagnostics</h2>
        <button type="button" onClick={() => void reloadTrace().then((r) => setProblem(r.ok ? null : r.error))}>Reload trace</button>
      </header>
      <h3>Self test</h3>
      <SelfTest />
      <h3>Protection</h3>
      <EdgeCounters />
      <h3>SIP trace</h3>
      <input type="search" className="search-input" aria-label="Filter by Call-ID" placeholder="Filter by Call-ID" value={callId} onChange={(e) => setCallId(e.target.value)} />
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {shown.length === 0 ? <p className="muted">{trace.length === 0 ? 'No SIP messages yet. They appear here once an account connects.' : 'No message with that Call-ID.'}</p> : null}
      <ol className="trace-list" aria-label="SIP messages, newest first">
        {shown.slice(0, 500).map((t) => (
          <li key={t.seq} className={`trace trace-${t.direction}`}>
            <button type="button" className="trace-head" aria-expanded={open === t.seq} onClick={() => setOpen(open === t.seq ? null : t.seq)}>
              <time>{timeOfDay(t.at)}</time>
              <span>{t.direction === 'sent' ? '→' : t.direction === 'note' ? '•' : '←'} {t.transport.toUpperCase()} {t.remote}</span>
              <strong>{t.summary}</strong>
              {t.callId ? <span className="muted small">{t.callId}</span> : null}
            </button>
            {open === t.seq ? <pre className="trace-text">{t.text}</pre> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
